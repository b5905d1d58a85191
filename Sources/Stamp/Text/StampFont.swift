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
        case .regular: Self.helveticaWidths
        case .bold: Self.helveticaBoldWidths
        }
    }

    // Advance widths (WX) of Adobe's Core 14 AFM files, Helvetica.afm and
    // Helvetica-Bold.afm (version 002.000, 1997), laid out by WinAnsiEncoding
    // code 0–255 using the glyph names of ISO 32000-2 Annex D.2. (Generated
    // from the metric-compatible URW Nimbus Sans AFMs and checked against
    // Adobe's files glyph by glyph.) Codes the
    // encoding leaves unused above 0x20 show a bullet (Annex D.2, note 6), so
    // they carry the bullet's width; C0 controls have no glyph.

    private static let helveticaWidths: [UInt16] = [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
        1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
        333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
        556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 350,
        556, 350, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350,
        350, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 350, 500, 667,
        278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
        400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
        667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
        722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
        556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
        556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
    ]

    private static let helveticaBoldWidths: [UInt16] = [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
        556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
        975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
        333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
        611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 350,
        556, 350, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 350, 611, 350,
        350, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 350, 500, 667,
        278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
        400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
        722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
        722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
        556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
        611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
    ]
}
