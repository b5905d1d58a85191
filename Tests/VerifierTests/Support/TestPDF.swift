import Foundation

/// Writes small, valid, unsigned PDFs (ISO 32000-2 §7.5: header, objects,
/// cross-reference table, trailer) for the tests to sign and then attack.
enum TestPDF {
    /// `pages` pages of Helvetica text; `filler` bytes of incompressible data in
    /// an extra image-like stream on the first page's resources (for size).
    static func make(pages: Int = 1, text: String = "Transkrip Nilai", filler: Int = 0) -> Data {
        var objects: [String] = []
        var binary: [Int: Data] = [:]
        // 1 catalog, 2 page tree, 3 font, 4 filler (optional), then page/content pairs.
        let firstPage = 5
        let kids = (0..<pages).map { "\(firstPage + 2 * $0) 0 R" }.joined(separator: " ")
        objects.append("<< /Type /Catalog /Pages 2 0 R >>")
        objects.append("<< /Type /Pages /Kids [\(kids)] /Count \(pages) >>")
        objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        if filler > 0 {
            var generator = SystemRandomNumberGenerator()
            var bytes = Data(count: filler)
            bytes.withUnsafeMutableBytes { buffer in
                var index = 0
                while index < buffer.count {
                    var word = generator.next()
                    let take = min(8, buffer.count - index)
                    withUnsafeBytes(of: &word) { source in
                        for offset in 0..<take { buffer[index + offset] = source[offset] }
                    }
                    index += take
                }
            }
            binary[4] = bytes
            objects.append("<< /Type /XObject /Subtype /Image /Width 1 /Height \(filler) /ColorSpace /DeviceGray /BitsPerComponent 8 /Length \(filler) >>")
        } else {
            objects.append("<< >>")
        }
        for page in 0..<pages {
            let number = firstPage + 2 * page
            let xobject = filler > 0 && page == 0 ? " /XObject << /Im1 4 0 R >>" : ""
            objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents \(number + 1) 0 R /Resources << /Font << /F1 3 0 R >>\(xobject) >> >>")
            let content = "BT /F1 24 Tf 72 760 Td (\(text) \(page + 1)) Tj ET"
            objects.append("<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream")
        }
        var data = Data("%PDF-1.7\n%\u{e2}\u{e3}\u{cf}\u{d3}\n".utf8)
        var offsets: [Int] = []
        for (index, body) in objects.enumerated() {
            let number = index + 1
            offsets.append(data.count)
            if let bytes = binary[number] {
                data.append(Data("\(number) 0 obj\n\(body)\nstream\n".utf8))
                data.append(bytes)
                data.append(Data("\nendstream\nendobj\n".utf8))
            } else {
                data.append(Data("\(number) 0 obj\n\(body)\nendobj\n".utf8))
            }
        }
        let xref = data.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { table += String(format: "%010d 00000 n \n", offset) }
        table += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        data.append(Data(table.utf8))
        return data
    }

    /// A file of the given object bodies (object `i + 1` is `bodies[i]`,
    /// object 1 the catalog), with a correct cross-reference table.
    static func assemble(_ bodies: [Data], trailer extra: String = "") -> Data {
        var data = Data("%PDF-1.7\n".utf8)
        var offsets: [Int] = []
        for (index, body) in bodies.enumerated() {
            offsets.append(data.count)
            data.append(Data("\(index + 1) 0 obj\n".utf8))
            data.append(body)
            data.append(Data("\nendobj\n".utf8))
        }
        let xref = data.count
        var table = "xref\n0 \(bodies.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { table += String(format: "%010d 00000 n \n", offset) }
        table += "trailer\n<< /Size \(bodies.count + 1) /Root 1 0 R \(extra)>>\nstartxref\n\(xref)\n%%EOF\n"
        data.append(Data(table.utf8))
        return data
    }

    static func assemble(_ bodies: [String], trailer extra: String = "") -> Data {
        assemble(bodies.map { Data($0.utf8) }, trailer: extra)
    }
}
