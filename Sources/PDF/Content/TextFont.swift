import Foundation

/// What the character codes of a font mean as Unicode (ISO 32000-2 §9.10.2):
/// its `/ToUnicode` CMap first, then for a simple font its encoding (base
/// encoding and `/Differences`) through the Adobe Glyph List.
///
/// A code with no such meaning (a symbolic font's built-in encoding, a CID
/// font without `/ToUnicode`, a glyph name outside the list) decodes to `nil`:
/// the reader says it cannot tell rather than guess.
struct TextFont {
    /// Byte lengths of character codes: one for simple fonts; from the
    /// encoding CMap's code space for composite fonts (two for Identity).
    private let codeSpace: [CodeRange]
    private let toUnicode: UnicodeMap
    /// Simple fonts: the encoding's meaning of each byte, where it has one.
    private let simple: [String?]

    struct CodeRange {
        var low: [UInt8]
        var high: [UInt8]
    }

    init?(_ font: PDFDictionary, in document: PDFDocument) {
        var unicode = UnicodeMap()
        if let stream = (try? document.resolve(font["ToUnicode"] ?? .null))?.streamValue,
           let data = try? stream.decodedData() {
            unicode = UnicodeMap(cmap: data)
        }
        toUnicode = unicode
        if font.name("Subtype") == "Type0" {
            let encoding = try? document.resolve(font["Encoding"] ?? .null)
            switch encoding {
            case .name("Identity-H"), .name("Identity-V"):
                codeSpace = [CodeRange(low: [0, 0], high: [0xFF, 0xFF])]
            case .stream(let stream):
                guard let data = try? stream.decodedData() else { return nil }
                let ranges = UnicodeMap(cmap: data).codeSpace
                guard !ranges.isEmpty else { return nil }
                codeSpace = ranges
            default:
                return nil
            }
            simple = Array(repeating: nil, count: 256)
            return
        }
        codeSpace = [CodeRange(low: [0], high: [0xFF])]
        simple = Self.simpleEncoding(font, in: document)
    }

    /// The text `bytes` show, or `nil` if some code has no known meaning.
    func decode(_ bytes: Data) -> String? {
        var text = ""
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let length = codeLength(bytes, at: index)
            let code = bytes[index..<min(index + length, bytes.endIndex)]
            index += length
            if let mapped = toUnicode.text(for: Array(code)) {
                text += mapped
            } else if code.count == 1, let mapped = simple[Int(code.first!)] {
                text += mapped
            } else {
                return nil
            }
        }
        return text
    }

    /// §9.7.6.2: the shortest code-space range the leading bytes fall in.
    private func codeLength(_ bytes: Data, at index: Data.Index) -> Int {
        for length in 1...4 {
            guard index + length <= bytes.endIndex else { break }
            let code = Array(bytes[index..<(index + length)])
            if codeSpace.contains(where: { range in
                range.low.count == length && (0..<length).allSatisfy { range.low[$0] <= code[$0] && code[$0] <= range.high[$0] }
            }) {
                return length
            }
        }
        return codeSpace.map(\.low.count).min() ?? 1
    }

    // MARK: - Simple fonts

    private static func simpleEncoding(_ font: PDFDictionary, in document: PDFDocument) -> [String?] {
        let descriptor = try? document.dictionary(font["FontDescriptor"])
        let flags = (try? document.resolve(descriptor?["Flags"] ?? .null))?.intValue ?? 0
        let baseFont = font.name("BaseFont") ?? ""
        let subtype = font.name("Subtype") ?? ""
        let embedded = ["FontFile", "FontFile2", "FontFile3"].contains { descriptor?[$0] != nil }
        let symbolic = flags & 4 != 0 || baseFont.hasSuffix("Symbol") || baseFont.hasSuffix("ZapfDingbats")
        let encoding = try? document.resolve(font["Encoding"] ?? .null)

        var baseName: String?
        var differences: [PDFObject] = []
        switch encoding {
        case .name(let name):
            baseName = name
        case .dictionary(let dictionary):
            baseName = dictionary.name("BaseEncoding")
            differences = (try? document.array(dictionary["Differences"])) ?? []
        default:
            break
        }
        // Without a named base, the font's built-in encoding applies: known
        // (Standard) only for a non-symbolic font whose program is not embedded
        // or is TrueType (§9.6.5.4 and Table 112).
        if baseName == nil, !symbolic, subtype != "Type3", !embedded || subtype == "TrueType" {
            baseName = "StandardEncoding"
        }
        let base: [UInt32]?
        switch baseName {
        case "WinAnsiEncoding": base = GlyphList.winAnsi
        case "MacRomanEncoding": base = GlyphList.macRoman
        case "StandardEncoding": base = GlyphList.standard
        default: base = nil
        }
        var table: [String?] = (0..<256).map { code in
            guard let scalar = base?[code], scalar != 0 else { return nil }
            return Unicode.Scalar(scalar).map { String(Character($0)) }
        }
        var code = 0
        for entry in differences {
            switch entry {
            case .integer(let value):
                code = value
            case .name(let name):
                if (0..<256).contains(code) { table[code] = Self.unicode(forGlyph: name) }
                code += 1
            default:
                continue
            }
        }
        return table
    }

    /// §9.10.2 and the Adobe Glyph List specification: a listed name, `uniXXXX…`,
    /// `uXXXX[XX]`, a suffix after `.` ignored, ligatures joined by `_`.
    static func unicode(forGlyph name: String) -> String? {
        let base = name.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? name
        guard !base.isEmpty else { return nil }
        let components = base.split(separator: "_", omittingEmptySubsequences: false)
        if components.count > 1 {
            let parts = components.map { unicode(forComponent: String($0)) }
            guard parts.allSatisfy({ $0 != nil }) else { return nil }
            return parts.map { $0! }.joined()
        }
        return unicode(forComponent: base)
    }

    private static func unicode(forComponent name: String) -> String? {
        if let scalars = GlyphList.unicode[name] { return string(scalars) }
        let hex = Set("0123456789ABCDEF")
        if name.hasPrefix("uni"), name.count > 3, (name.count - 3) % 4 == 0, name.dropFirst(3).allSatisfy(hex.contains) {
            let digits = Array(name.dropFirst(3))
            let scalars = stride(from: 0, to: digits.count, by: 4).compactMap { UInt32(String(digits[$0..<$0 + 4]), radix: 16) }
            guard scalars.allSatisfy({ !(0xD800...0xDFFF).contains($0) }) else { return nil }
            return string(scalars)
        }
        if name.hasPrefix("u"), (5...7).contains(name.count), name.dropFirst().allSatisfy(hex.contains),
           let scalar = UInt32(name.dropFirst(), radix: 16), !(0xD800...0xDFFF).contains(scalar) {
            return string([scalar])
        }
        return nil
    }

    private static func string(_ scalars: [UInt32]) -> String? {
        var text = ""
        for value in scalars {
            guard let scalar = Unicode.Scalar(value) else { return nil }
            text.unicodeScalars.append(scalar)
        }
        return text
    }
}

/// A `/ToUnicode` CMap (§9.10.3): `bfchar` and `bfrange` mappings and the code
/// space. Destinations are UTF-16BE.
struct UnicodeMap {
    private var characters: [[UInt8]: String] = [:]
    private var ranges: [(low: [UInt8], high: [UInt8], destination: Destination)] = []
    private(set) var codeSpace: [TextFont.CodeRange] = []

    private enum Destination {
        case start([UInt16])
        case list([String])
    }

    init() {}

    init(cmap data: Data) {
        data.withUnsafeBytes { bytes in
            var scanner = ContentScanner(bytes)
            var operands: [PDFObject] = []
            while let name = scanner.nextOperator(operands: &operands) {
                switch name {
                case "endcodespacerange":
                    for pair in stride(from: 0, to: operands.count - 1, by: 2) {
                        guard let low = Self.bytes(operands[pair]), let high = Self.bytes(operands[pair + 1]),
                              low.count == high.count, (1...4).contains(low.count) else { continue }
                        codeSpace.append(TextFont.CodeRange(low: low, high: high))
                    }
                case "endbfchar":
                    for pair in stride(from: 0, to: operands.count - 1, by: 2) {
                        guard let code = Self.bytes(operands[pair]), let text = Self.text(operands[pair + 1]) else { continue }
                        characters[code] = text
                    }
                case "endbfrange":
                    for triple in stride(from: 0, to: operands.count - 2, by: 3) {
                        guard let low = Self.bytes(operands[triple]), let high = Self.bytes(operands[triple + 1]),
                              low.count == high.count else { continue }
                        switch operands[triple + 2] {
                        case .string(let string):
                            ranges.append((low, high, .start(Self.units(string.bytes))))
                        case .array(let array):
                            ranges.append((low, high, .list(array.map { Self.text($0) ?? "" })))
                        default:
                            continue
                        }
                    }
                default:
                    break
                }
            }
        }
    }

    func text(for code: [UInt8]) -> String? {
        if let text = characters[code] { return text }
        for range in ranges where range.low.count == code.count {
            // Ranges differ only in the last byte (§9.10.3).
            guard code.dropLast() == range.low.dropLast(), let last = code.last,
                  range.low.last! <= last, last <= range.high.last! else { continue }
            let offset = Int(last - range.low.last!)
            switch range.destination {
            case .start(let units):
                guard !units.isEmpty else { return nil }
                var units = units
                units[units.count - 1] &+= UInt16(offset)
                return String(decoding: units, as: UTF16.self)
            case .list(let texts):
                return offset < texts.count ? texts[offset] : nil
            }
        }
        return nil
    }

    private static func bytes(_ object: PDFObject) -> [UInt8]? {
        guard case .string(let string) = object, !string.bytes.isEmpty, string.bytes.count <= 4 else { return nil }
        return Array(string.bytes)
    }

    private static func text(_ object: PDFObject) -> String? {
        switch object {
        case .string(let string): return String(decoding: units(string.bytes), as: UTF16.self)
        case .name(let name): return TextFont.unicode(forGlyph: name)
        default: return nil
        }
    }

    private static func units(_ data: Data) -> [UInt16] {
        let bytes = Array(data)
        return stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
    }
}
