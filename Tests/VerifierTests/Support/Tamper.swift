import Foundation
import PDF
import XCTest

/// Byte-level manipulations of a signed file, located with the PDF reader so
/// that each attack changes exactly what it means to.
enum Tamper {
    /// The last signature dictionary of `data` (the seal) as the reader locates it.
    static func seal(of data: Data) throws -> SignatureDictionary {
        let document = try PDFDocument(data: data, options: .strict)
        let signatures = try document.signatureFields.compactMap(\.signature)
        return try XCTUnwrap(signatures.max { ($0.byteRange?.last ?? 0) + ($0.byteRange?[2] ?? 0) < ($1.byteRange?.last ?? 0) + ($1.byteRange?[2] ?? 0) })
    }

    /// Replaces `range` with `replacement` padded with spaces to the same length.
    static func overwrite(_ data: Data, _ range: Range<Int>, with replacement: String) -> Data {
        var bytes = Array(replacement.utf8)
        precondition(bytes.count <= range.count, "replacement longer than the bytes it replaces")
        bytes += Array(repeating: UInt8(ascii: " "), count: range.count - bytes.count)
        var result = data
        result.replaceSubrange(range, with: bytes)
        return result
    }

    /// Writes a new `/ByteRange` array over the old one (same length, space padded).
    static func rewriteByteRange(_ data: Data, _ values: [Int]) throws -> Data {
        let range = try XCTUnwrap(seal(of: data).byteRangeRange)
        return overwrite(data, range, with: "[" + values.map(String.init).joined(separator: " ") + "]")
    }

    /// Flips one bit of the byte at `offset`.
    static func flip(_ data: Data, at offset: Int) -> Data {
        var result = data
        result[offset] ^= 0x01
        return result
    }

    /// Appends `text` after the file's last byte.
    static func append(_ data: Data, _ text: String) -> Data {
        data + Data(text.utf8)
    }

    /// An incremental update written by hand: `body` (objects) then an xref
    /// table listing `objects` (number → offset within body), a trailer with
    /// `/Prev` and `extraTrailer`, startxref and %%EOF.
    static func appendUpdate(_ data: Data, objects: [(number: Int, text: String)], trailer extraTrailer: String = "")
        throws -> Data {
        let document = try PDFDocument(data: data, options: .strict)
        let previous = try XCTUnwrap(document.startxref)
        var output = data
        if output.last != 0x0A { output.append(0x0A) }
        var offsets: [(Int, Int)] = []
        for object in objects {
            offsets.append((object.number, output.count))
            output.append(Data("\(object.number) 0 obj\n\(object.text)\nendobj\n".utf8))
        }
        let xref = output.count
        var table = "xref\n"
        if offsets.isEmpty { table += "0 0\n" }
        for (number, offset) in offsets {
            table += "\(number) 1\n" + String(format: "%010d 00000 n \n", offset)
        }
        let root = try XCTUnwrap(document.trailer["Root"]?.referenceValue)
        table += "trailer\n<< /Size \(document.size) /Root \(root.number) \(root.generation) R /Prev \(previous) \(extraTrailer)>>\nstartxref\n\(xref)\n%%EOF\n"
        output.append(Data(table.utf8))
        return output
    }
}
