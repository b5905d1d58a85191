import PDF

/// The two fonts the stamp's appearance uses: standard 14 fonts (ISO 32000-2
/// §9.6.2.2), so nothing is embedded, each with `/Encoding /WinAnsiEncoding`.
/// The form XObject's resources must name them as `resourceName`:
/// `<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica
/// /Encoding /WinAnsiEncoding >> /F2 << … /BaseFont /Helvetica-Bold … >> >> >>`.
public enum StampFont: String, Sendable, Hashable, CaseIterable {
    /// Helvetica, resource `/F1`.
    case regular = "F1"
    /// Helvetica-Bold, resource `/F2`.
    case bold = "F2"

    /// The name in the form's `/Resources /Font` dictionary.
    public var resourceName: String { rawValue }

    /// The `/BaseFont` of the font dictionary.
    public var baseFont: String {
        switch self {
        case .regular: "Helvetica"
        case .bold: "Helvetica-Bold"
        }
    }

    /// The `/Encoding` of the font dictionary.
    public static let encoding = "WinAnsiEncoding"

    /// Advance width of one WinAnsiEncoding code, in thousandths of the font size.
    public func glyphWidth(_ code: UInt8) -> Int {
        Int(widths[Int(code)])
    }

    /// Width of `bytes` set at `fontSize` points, as a viewer lays them out
    /// with `Tj` (no kerning, no character or word spacing).
    public func width(of bytes: [UInt8], fontSize: Double) -> Double {
        let units = bytes.reduce(0) { $0 + Int(widths[Int($1)]) }
        return Double(units) * fontSize / 1000
    }

    private var widths: [UInt16] {
        switch self {
        case .regular: StandardFontWidths.helvetica
        case .bold: StandardFontWidths.helveticaBold
        }
    }

}
