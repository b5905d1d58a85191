import Foundation
import PDF
import XCTest

/// An appended revision written byte by byte, so that its cross-reference
/// section can be exactly as wrong as a test needs (issue 20's generators).
/// Objects are appended in order; each one's absolute offset is kept for the
/// section the test then writes itself.
struct RawRevision {
    private(set) var data: Data
    /// Offset of each appended object, in the order appended.
    private(set) var offsets: [Int] = []
    let previousStartxref: Int
    let size: Int
    let root: ObjectRef

    init(after signed: Data) throws {
        let document = try PDFDocument(data: signed, options: .strict)
        previousStartxref = try XCTUnwrap(document.startxref)
        size = document.size
        root = try XCTUnwrap(document.catalogReference)
        data = signed
        if data.last != 0x0A { data.append(0x0A) }
    }

    /// Appends `N 0 obj … endobj` and returns its offset.
    @discardableResult
    mutating func object(_ number: Int, _ body: Data) -> Int {
        let offset = data.count
        offsets.append(offset)
        data.append(Data("\(number) 0 obj\n".utf8))
        data.append(body)
        data.append(Data("\nendobj\n".utf8))
        return offset
    }

    @discardableResult
    mutating func object(_ number: Int, _ body: PDFObject) -> Int { object(number, body.serialized) }

    /// One table entry for `offset` with `eol` as its last characters (" \n" makes the 20 bytes of §7.5.4).
    static func entry(_ offset: Int, eol: String = " \n") -> String {
        String(format: "%010d 00000 n", offset) + eol
    }

    /// Finishes with a classic table: `subsections` is written as it is.
    func table(_ subsections: String, size: Int) -> Data {
        var output = data
        let xref = output.count
        output.append(Data("xref\n\(subsections)trailer\n<< /Size \(size) /Root \(root.number) \(root.generation) R /Prev \(previousStartxref) >>\nstartxref\n\(xref)\n%%EOF\n".utf8))
        return output
    }

    /// Finishes with an uncompressed cross-reference stream (object `number`,
    /// `/W [1 4 2]`) holding `rows` in the order of `index` (pairs of first
    /// number and count, written as given even when they overlap).
    func xrefStream(_ number: Int, index: [Int], rows: [(type: Int, field2: Int, field3: Int)]) -> Data {
        precondition(rows.count == stride(from: 1, to: index.count, by: 2).map { index[$0] }.reduce(0, +),
                     "the rows must fill the /Index")
        var output = data
        let offset = output.count
        var bytes: [UInt8] = []
        for row in rows {
            bytes.append(UInt8(row.type))
            bytes += withUnsafeBytes(of: UInt32(row.field2).bigEndian, Array.init)
            bytes += withUnsafeBytes(of: UInt16(row.field3).bigEndian, Array.init)
        }
        let indexText = index.map(String.init).joined(separator: " ")
        output.append(Data("\(number) 0 obj\n<< /Type /XRef /Size \(number + 1) /W [1 4 2] /Index [\(indexText)] /Root \(root.number) \(root.generation) R /Prev \(previousStartxref) /Length \(bytes.count) >>\nstream\n".utf8))
        output.append(Data(bytes))
        output.append(Data("\nendstream\nendobj\nstartxref\n\(offset)\n%%EOF\n".utf8))
        return output
    }

    /// The offset the cross-reference stream of `xrefStream` will have.
    var nextOffset: Int { data.count }

    /// An object stream body (§7.5.7) with `header` pairs written as given and
    /// `members` after `/First`.
    static func objectStream(header: [(number: Int, member: Int)], members: [Data]) -> Data {
        var offsets: [Int] = []
        var body = Data()
        for member in members {
            offsets.append(body.count)
            body.append(member)
            body.append(0x0A)
        }
        let headerText = header.map { "\($0.number) \(offsets[$0.member])" }.joined(separator: " ") + "\n"
        let first = headerText.utf8.count
        var stream = Data("<< /Type /ObjStm /N \(header.count) /First \(first) /Length \(first + body.count) >>\nstream\n".utf8)
        stream.append(Data(headerText.utf8))
        stream.append(body)
        stream.append(Data("\nendstream".utf8))
        return stream
    }
}
