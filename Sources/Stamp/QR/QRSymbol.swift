import CQRPNG
import Foundation

/// A QR Code symbol (ISO/IEC 18004:2015), encoded by libqrencode.
///
/// The text is encoded as its UTF-8 bytes in byte mode (with numeric and
/// alphanumeric segments where libqrencode finds them shorter), case
/// sensitive, at the smallest version that holds it. The symbol is a square
/// grid of `size` x `size` modules; the quiet zone (§6.3.8, at least 4
/// modules) is not part of the grid and is added by every rendering.
public struct QRSymbol: Sendable, Hashable {
    /// Error correction level (ISO/IEC 18004 §7.5.1): the share of the symbol
    /// that may be damaged and still decode.
    public enum ErrorCorrection: String, Sendable, Hashable, CaseIterable {
        /// About 7 % recovery.
        case low
        /// About 15 % recovery; the default, as for most printed URLs.
        case medium
        /// About 25 % recovery.
        case quartile
        /// About 30 % recovery.
        case high

        var libraryLevel: QRecLevel {
            switch self {
            case .low: QR_ECLEVEL_L
            case .medium: QR_ECLEVEL_M
            case .quartile: QR_ECLEVEL_Q
            case .high: QR_ECLEVEL_H
            }
        }
    }

    /// The encoded text.
    public let text: String
    /// The error correction level used.
    public let level: ErrorCorrection
    /// Symbol version, 1...40 (§6.2): size = 17 + 4 x version.
    public let version: Int
    /// Modules per side, quiet zone excluded.
    public let size: Int
    /// Row-major, `true` = dark; row 0 is the top of the symbol.
    private let modules: [Bool]

    /// Encodes `text`.
    ///
    /// - Throws: `StampError.qrEncoding` when the text is empty, contains a
    ///   NUL character, or is too long for a version 40 symbol at `level`.
    public init(_ text: String, level: ErrorCorrection = .medium) throws {
        guard !text.isEmpty else {
            throw StampError(.qrEncoding, "The text for the QR code is empty.")
        }
        guard !text.utf8.contains(0) else {
            throw StampError(.qrEncoding, "The text for the QR code contains a NUL character.")
        }
        // Case sensitive (last argument 1): URL paths and tokens must keep their case.
        errno = 0
        guard let code = QRcode_encodeString(text, 0, level.libraryLevel, QR_MODE_8, 1) else {
            let reason = errno == ERANGE
                ? "it is too long for a QR code at error correction level \(level.rawValue)"
                : "libqrencode failed (errno \(errno))"
            throw StampError(.qrEncoding, "Cannot encode \(text.utf8.count) bytes as a QR code: \(reason).")
        }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        let data = code.pointee.data!
        // Bit 0 of each byte is the module colour; the other bits are libqrencode bookkeeping.
        modules = (0..<(width * width)).map { data[$0] & 1 == 1 }
        self.text = text
        self.level = level
        self.version = Int(code.pointee.version)
        self.size = width
    }

    /// The symbol as bytes to keep with the document (the registry stores the
    /// stamp's symbol, so the portal shows the very same code without encoding
    /// it again): one byte `version`, then the modules row by row, eight to a
    /// byte, most significant bit first, `true` = 1, the last byte padded with 0.
    public var archived: Data {
        var out = Data(capacity: 1 + (size * size + 7) / 8)
        out.append(UInt8(version))
        var byte: UInt8 = 0
        for (index, dark) in modules.enumerated() {
            if dark { byte |= 0x80 >> UInt8(index % 8) }
            if index % 8 == 7 {
                out.append(byte)
                byte = 0
            }
        }
        if modules.count % 8 != 0 { out.append(byte) }
        return out
    }

    /// A symbol from `archived` bytes, said to encode `text` at `level` (not
    /// checked: it is the caller's own record). Nil when the bytes are not a
    /// well-formed archive: a version outside 1...40, a length that does not
    /// match it, or padding bits set.
    public init?(archived: Data, text: String, level: ErrorCorrection = .medium) {
        guard let first = archived.first, (1...40).contains(first) else { return nil }
        let version = Int(first)
        let size = 17 + 4 * version
        let count = size * size
        guard archived.count == 1 + (count + 7) / 8 else { return nil }
        let bits = archived.dropFirst()
        var modules = [Bool](repeating: false, count: count)
        for (offset, byte) in bits.enumerated() {
            for bit in 0..<8 where byte & (0x80 >> UInt8(bit)) != 0 {
                let index = offset * 8 + bit
                guard index < count else { return nil }
                modules[index] = true
            }
        }
        self.modules = modules
        self.text = text
        self.level = level
        self.version = version
        self.size = size
    }

    /// Whether the module at column `x`, row `y` (0,0 = top-left) is dark.
    /// Coordinates outside the grid (the quiet zone) are light.
    public func isDark(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < size, y < size else { return false }
        return modules[y * size + x]
    }

    /// Horizontal runs of dark modules in row `y`, as (first column, length),
    /// left to right. Every rendering draws runs, not single modules, so that
    /// adjacent modules are one shape without seams.
    public func darkRuns(row y: Int) -> [(x: Int, length: Int)] {
        var runs: [(x: Int, length: Int)] = []
        forEachDarkRun(row: y) { runs.append(($0, $1)) }
        return runs
    }

    /// The same runs handed to `body` as (first column, length), without an
    /// array per row (the portal draws thousands of symbols).
    public func forEachDarkRun(row y: Int, _ body: (_ x: Int, _ length: Int) -> Void) {
        var x = 0
        while x < size {
            guard isDark(x: x, y: y) else {
                x += 1
                continue
            }
            let start = x
            while x < size, isDark(x: x, y: y) { x += 1 }
            body(start, x - start)
        }
    }
}
