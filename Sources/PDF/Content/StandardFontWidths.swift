/// Advance widths of standard 14 fonts (ISO 32000-2 §9.6.2.2), which a PDF
/// may use without `/Widths`: the stamp lays its caption out with them, and
/// ``PageInk`` measures text set in them.
public enum StandardFontWidths {
    // Advance widths (WX) of Adobe's Core 14 AFM files, Helvetica.afm and
    // Helvetica-Bold.afm (version 002.000, 1997), laid out by WinAnsiEncoding
    // code 0–255 using the glyph names of ISO 32000-2 Annex D.2. (Generated
    // from the metric-compatible URW Nimbus Sans AFMs and checked against
    // Adobe's files glyph by glyph.) Codes the
    // encoding leaves unused above 0x20 show a bullet (Annex D.2, note 6), so
    // they carry the bullet's width; C0 controls have no glyph.

    public static let helvetica: [UInt16] = [
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

    public static let helveticaBold: [UInt16] = [
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

    /// The WinAnsiEncoding widths for a standard font's `/BaseFont` (subset
    /// prefix allowed), as an upper bound where exact metrics are not kept
    /// here: Helvetica and Arial faces their own, Courier 600 throughout,
    /// and Times faces Helvetica-Bold's (wider than Times glyph for glyph in
    /// the letters and digits). Nil for Symbol, ZapfDingbats and other fonts.
    public static func widths(baseFont: String) -> [UInt16]? {
        let name = baseFont.split(separator: "+").last.map(String.init) ?? baseFont
        if name.hasPrefix("Courier") { return [UInt16](repeating: 600, count: 256) }
        if name.hasPrefix("Helvetica") || name.hasPrefix("Arial") {
            return name.contains("Bold") ? helveticaBold : helvetica
        }
        if name.hasPrefix("Times") { return helveticaBold }
        return nil
    }
}
