import PDF
import Stamp

/// The appearance form's `/Resources` for the fonts the stamp draws with:
/// the standard 14 Helvetica faces in WinAnsiEncoding (ISO 32000-2 §9.6.2.2),
/// so nothing is embedded and every viewer has the metrics.
enum StampResources {
    static let dictionary: PDFDictionary = {
        var fonts = PDFDictionary()
        for font in StampFont.allCases {
            fonts[font.resourceName] = .dictionary([
                "Type": .name("Font"),
                "Subtype": .name("Type1"),
                "BaseFont": .name(font.baseFont),
                "Encoding": .name(StampFont.encoding),
            ])
        }
        return ["Font": .dictionary(fonts), "ProcSet": .array([.name("PDF"), .name("Text")])]
    }()
}
