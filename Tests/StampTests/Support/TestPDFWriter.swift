import Foundation
@testable import Stamp

/// A minimal one-page PDF writer for the tests only (the real writer is the
/// PDF module's): catalog, page tree, one page with MediaBox/CropBox/Rotate,
/// Helvetica fonts, and the stamp, with a classic xref table (ISO 32000-2 §7.5).
struct TestPDFWriter {
    /// How the stamp is put on the page.
    enum Mode {
        /// In the page content, as `q <transform> cm <stamp> Q` with the
        /// transform a viewer would apply to the appearance (§12.5.5).
        case pageContent
        /// As a widget annotation whose normal appearance is the stamp form
        /// (`/Rect`, `/BBox`, `/Matrix`), the way the signer will add it.
        case widget
    }

    var mediaBox: [Double]
    var cropBox: [Double]?
    var rotate: Int

    func pdf(stamp: StampAppearance, rect: [Double], matrix: [Double]?, mode: Mode) -> Data {
        var objects: [String] = []
        let fonts = "<< /Font << /F1 5 0 R /F2 6 0 R >> >>"
        var page = "<< /Type /Page /Parent 2 0 R /MediaBox \(array(mediaBox))"
        if let cropBox { page += " /CropBox \(array(cropBox))" }
        page += " /Rotate \(rotate) /Resources \(fonts) /Contents 4 0 R"
        let stampContent = String(decoding: stamp.content, as: UTF8.self)
        let pageContent: String
        switch mode {
        case .pageContent:
            let transform = StampPlacement.transform(bbox: stamp.bbox, matrix: matrix, rect: rect)
            pageContent = "q \(numbers(transform)) cm\n\(stampContent)Q\n"
        case .widget:
            page += " /Annots [7 0 R]"
            pageContent = ""
        }
        page += " >>"
        objects.append(mode == .widget
            ? "<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [7 0 R] /SigFlags 3 >> >>"
            : "<< /Type /Catalog /Pages 2 0 R >>")
        objects.append("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
        objects.append(page)
        objects.append(stream(pageContent, dictionary: ""))
        objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
        if mode == .widget {
            objects.append("<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /Rect \(array(rect)) /F 4 /P 3 0 R /AP << /N 8 0 R >> >>")
            var form = "/Type /XObject /Subtype /Form /BBox \(array(stamp.bbox)) /Resources \(fonts)"
            if let matrix { form += " /Matrix \(array(matrix))" }
            objects.append(stream(stampContent, dictionary: form))
        }

        var file = Data("%PDF-1.7\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(file.count)
            file += Data("\(index + 1) 0 obj\n\(object)\nendobj\n".utf8)
        }
        let xrefOffset = file.count
        var xref = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets {
            let digits = String(offset)
            xref += String(repeating: "0", count: 10 - digits.count) + digits + " 00000 n \n"
        }
        xref += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xrefOffset)\n%%EOF\n"
        return file + Data(xref.utf8)
    }

    private func stream(_ content: String, dictionary: String) -> String {
        "<< \(dictionary) /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream"
    }

    private func numbers(_ values: [Double]) -> String {
        values.map(ContentStreamWriter.number).joined(separator: " ")
    }

    private func array(_ values: [Double]) -> String { "[\(numbers(values))]" }
}
