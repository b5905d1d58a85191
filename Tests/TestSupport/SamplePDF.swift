import Foundation

/// Writes small, valid one-page PDFs (classic xref, Helvetica text) for tests
/// that need a fresh document without the corpus.
public enum SamplePDF {
    public static func make(lines: [String], mediaBox: [Int] = [0, 0, 595, 842], rotate: Int = 0) -> Data {
        var content = "BT /F1 12 Tf 72 770 Td 14 TL\n"
        for line in lines {
            let escaped = line.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "(", with: "\\(").replacingOccurrences(of: ")", with: "\\)")
            content += "(\(escaped)) '\n"
        }
        content += "ET\n"
        let box = mediaBox.map(String.init).joined(separator: " ")
        return make(objects: [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [\(box)] /Rotate \(rotate) /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
            "<< /Length \(content.utf8.count) >>\nstream\n\(content)endstream",
        ], header: Data("%PDF-1.7\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8))
    }

    /// A PDF of `objects` (object 1 the catalog), numbered from 1 in order,
    /// with a classic cross-reference table. Object text is written in
    /// `encoding` (ISO-8859-1 lets a stream carry any byte).
    public static func make(objects: [String], header: Data = Data("%PDF-1.7\n".utf8),
                            encoding: String.Encoding = .utf8) -> Data {
        var out = header
        var offsets: [Int] = []
        for (i, body) in objects.enumerated() {
            offsets.append(out.count)
            out.append(Data("\(i + 1) 0 obj\n".utf8))
            out.append(body.data(using: encoding) ?? Data(body.utf8))
            out.append(Data("\nendobj\n".utf8))
        }
        let xref = out.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { table += String(format: "%010d 00000 n \n", offset) }
        table += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        out.append(Data(table.utf8))
        return out
    }

    /// Writes a sample PDF to `url` and returns it.
    @discardableResult
    public static func write(to url: URL, lines: [String]) throws -> URL {
        try make(lines: lines).write(to: url)
        return url
    }
}
