import Foundation
@testable import PDF

/// Builds small PDF files byte by byte for the tests, independently of the
/// module's writers: each xref flavour, object streams, incremental updates.
struct PDFFixture {
    private(set) var data = Data()
    /// Offsets (type 1) and object-stream slots (type 2) of the section being built.
    private var offsets: [Int: Int] = [:]
    private var compressed: [Int: (stream: Int, index: Int)] = [:]
    /// Offset of the previous section, for `/Prev`.
    private(set) var lastStartxref: Int?

    init(version: String = "1.7") {
        append("%PDF-\(version)\n%")
        data.append(contentsOf: [0xE2, 0xE3, 0xCF, 0xD3, 0x0A])
    }

    init(continuing data: Data, startxref: Int) {
        self.data = data
        lastStartxref = startxref
    }

    mutating func append(_ text: String) { data.append(contentsOf: Array(text.utf8)) }
    mutating func append(_ bytes: Data) { data.append(bytes) }

    /// `n 0 obj body endobj`.
    mutating func object(_ number: Int, _ body: String, generation: Int = 0) {
        offsets[number] = data.count
        append("\(number) \(generation) obj\n\(body)\nendobj\n")
    }

    /// A stream object; `dictionary` is the text between `<<` and `>>` without `/Length`.
    mutating func stream(_ number: Int, _ dictionary: String, _ content: Data, length: Int? = nil) {
        offsets[number] = data.count
        append("\(number) 0 obj\n<< \(dictionary) /Length \(length ?? content.count) >>\nstream\n")
        data.append(content)
        append("\nendstream\nendobj\n")
    }

    /// An object stream holding `members` (number, object text), Flate compressed.
    mutating func objectStream(_ number: Int, members: [(Int, String)], extra: String = "") {
        var header = ""
        var body = ""
        for (index, member) in members.enumerated() {
            header += "\(member.0) \(body.utf8.count) "
            body += member.1 + "\n"
            compressed[member.0] = (number, index)
        }
        let content = Data((header + "\n" + body).utf8)
        let first = (header + "\n").utf8.count
        stream(number, "/Type /ObjStm /N \(members.count) /First \(first) /Filter /FlateDecode \(extra)",
               Flate.compress(content))
    }

    /// A classic section: `xref` with one subsection per run, 20-byte entries
    /// (or 19-byte with `lineEnd: "\n"`), the trailer, startxref, %%EOF.
    @discardableResult
    mutating func table(trailer: String, includeFreeHead: Bool = true, lineEnd: String = " \n",
                        xrefStream: Int? = nil) -> Int {
        let start = data.count
        append("xref\n")
        var entries: [Int: String] = [:]
        for (number, offset) in offsets {
            entries[number] = String(format: "%010d %05d n", offset, 0) + lineEnd
        }
        if includeFreeHead { entries[0] = "0000000000 65535 f" + lineEnd }
        for run in runs(entries.keys.sorted()) {
            append("\(run.first!) \(run.count)\n")
            for number in run { append(entries[number]!) }
        }
        var dictionary = trailer
        if let lastStartxref { dictionary += " /Prev \(lastStartxref)" }
        if let xrefStream { dictionary += " /XRefStm \(xrefStream)" }
        append("trailer\n<< \(dictionary) >>\nstartxref\n\(start)\n%%EOF\n")
        lastStartxref = start
        offsets = [:]
        compressed = [:]
        return start
    }

    /// A cross-reference stream section, optionally with the PNG Up predictor.
    @discardableResult
    mutating func xrefStream(_ number: Int, trailer: String, predictor: Bool = false,
                             writeStartxref: Bool = true) -> Int {
        let start = data.count
        offsets[number] = start
        var rows: [Int: [UInt8]] = [:]
        for (objectNumber, offset) in offsets {
            rows[objectNumber] = [1, UInt8(offset >> 16 & 0xFF), UInt8(offset >> 8 & 0xFF), UInt8(offset & 0xFF), 0]
        }
        for (objectNumber, slot) in compressed {
            rows[objectNumber] = [2, UInt8(slot.stream >> 16 & 0xFF), UInt8(slot.stream >> 8 & 0xFF),
                                  UInt8(slot.stream & 0xFF), UInt8(slot.index)]
        }
        if lastStartxref == nil { rows[0] = [0, 0, 0, 0, 255] }
        let sorted = runs(rows.keys.sorted())
        var raw: [UInt8] = []
        var previous = [UInt8](repeating: 0, count: 5)
        for run in sorted {
            for objectNumber in run {
                let row = rows[objectNumber]!
                if predictor {
                    raw.append(2)
                    for index in 0..<5 { raw.append(row[index] &- previous[index]) }
                    previous = row
                } else {
                    raw.append(contentsOf: row)
                }
            }
        }
        let index = sorted.map { "\($0.first!) \($0.count)" }.joined(separator: " ")
        var dictionary = "/Type /XRef /W [1 3 1] /Index [\(index)] /Filter /FlateDecode \(trailer)"
        if predictor { dictionary += " /DecodeParms << /Predictor 12 /Columns 5 >>" }
        if let lastStartxref, writeStartxref { dictionary += " /Prev \(lastStartxref)" }
        let content = Flate.compress(Data(raw))
        append("\(number) 0 obj\n<< \(dictionary) /Length \(content.count) >>\nstream\n")
        data.append(content)
        append("\nendstream\nendobj\n")
        if writeStartxref {
            append("startxref\n\(start)\n%%EOF\n")
            lastStartxref = start
        }
        offsets = [:]
        compressed = [:]
        return start
    }

    private func runs(_ numbers: [Int]) -> [[Int]] {
        var result: [[Int]] = []
        for number in numbers {
            if let last = result.last?.last, last + 1 == number {
                result[result.count - 1].append(number)
            } else {
                result.append([number])
            }
        }
        return result
    }

    /// A one-page document body: catalog 1, pages 2, page 3, content 4 with `text`.
    mutating func simpleDocument(text: String = "Hello", mediaBox: String = "[0 0 612 792]") {
        object(1, "<< /Type /Catalog /Pages 2 0 R >>")
        object(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
        object(3, "<< /Type /Page /Parent 2 0 R /MediaBox \(mediaBox) /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>")
        stream(4, "", Data("BT /F1 24 Tf 72 700 Td (\(text)) Tj ET".utf8))
        object(5, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    }
}
