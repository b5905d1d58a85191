import COpenSSL
import Foundation

/// One-shot digests and hex formatting.
public enum Digest {
    /// SHA-256 (FIPS 180-4) of `data`.
    public static func sha256(_ data: Data) -> Data {
        let hasher = SHA256Hasher()
        hasher.update(data)
        return hasher.finalize()
    }

    /// SHA-256 of bytes in memory, without copying them into a `Data` first.
    public static func sha256(_ bytes: UnsafeRawBufferPointer) -> Data {
        let hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// SHA-256 of a file, read in 1 MiB chunks so large PDFs never sit in memory whole.
    public static func sha256(fileAt url: URL) throws -> Data {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw DigestError(description: "could not open \(url.path) for hashing: \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        let hasher = SHA256Hasher()
        while true {
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: 1 << 20)
            } catch {
                throw DigestError(description: "could not read \(url.path) while hashing: \(error.localizedDescription)")
            }
            guard let chunk, !chunk.isEmpty else { break }
            hasher.update(chunk)
        }
        return hasher.finalize()
    }

    /// Digest of the concatenation of `parts` (e.g. the two ByteRange spans of a
    /// signed PDF) without concatenating them.
    public static func hash(_ parts: some Sequence<Data>, algorithm: DigestAlgorithm) -> Data {
        // SHA-1/2 exist in every libcrypto provider configuration segel runs with.
        let hasher = try! StreamingDigest(algorithm)
        for part in parts { hasher.update(part) }
        return hasher.finalize()
    }

    /// Like ``hash(_:algorithm:)``, but an algorithm libcrypto does not provide
    /// (MD5 under a FIPS configuration) is an error rather than a trap.
    public static func checkedHash(_ parts: Data..., algorithm: DigestAlgorithm) throws -> Data {
        let hasher = try StreamingDigest(algorithm)
        for part in parts { hasher.update(part) }
        return hasher.finalize()
    }

    /// Lowercase hex without separators.
    public static func hex(_ data: Data) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(data.count * 2)
        for byte in data {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Upper-case hex pairs joined by colons, as browsers show fingerprints.
    public static func colonHex(_ data: Data) -> String {
        var pairs: [String] = []
        pairs.reserveCapacity(data.count)
        let plain = hex(data).uppercased()
        var index = plain.startIndex
        while index < plain.endIndex {
            let next = plain.index(index, offsetBy: 2)
            pairs.append(String(plain[index..<next]))
            index = next
        }
        return pairs.joined(separator: ":")
    }

    /// Parses hex (either case, optional colons or spaces); nil on anything else.
    public static func data(fromHex text: String) -> Data? {
        // Byte by byte: separators are ASCII, and any other non-hex byte fails.
        var bytes = [UInt8]()
        bytes.reserveCapacity(text.utf8.count / 2)
        var high: UInt8?
        for byte in text.utf8 where byte != UInt8(ascii: ":") && byte != UInt8(ascii: " ") {
            guard let value = hexValue(byte) else { return nil }
            if let first = high {
                bytes.append(first << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return high == nil ? Data(bytes) : nil
    }

    /// The value of one hex digit (either case); nil for any other byte.
    @inlinable public static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
