import Foundation

/// Draws the signature stamp as a PDF form XObject's content stream
/// (ISO 32000-2 §8.10.1), for use as a widget's appearance stream (§12.5.5).
///
/// Layout, in form space (origin bottom-left, `[0 0 width height]`):
///
///     +--------------------------------------+--------------+
///     | Signer Name (Helvetica-Bold)         |  quiet zone  |
///     | Title                                |  +--------+  |
///     |                                      |  |   QR   |  |
///     | Date                                 |  |        |  |
///     | Kode / Code: XXXX-XXXX-XXXX-XXXX     |  +--------+  |
///     | Scan to verify / Pindai untuk …      |              |
///     +--------------------------------------+--------------+
///
/// The QR square, quiet zone included, is `qrSize` points and sits at the
/// right; the caption column to its left is `captionWidthRatio × qrSize`
/// wide, so the stamp is `height = qrSize`, `width = qrSize × (1 + ratio)`.
/// All caption sizes scale with `qrSize`. Text never enters the QR square.
///
/// The QR modules are vector squares: each horizontal run of dark modules is
/// one `re` (§8.5.2.1) in a module-unit coordinate system set with `cm`, so
/// the coordinates are small integers and every run shares exact edges with
/// its neighbours; all runs are filled with one `f`, which leaves no seams.
public enum StampRenderer {
    /// Width of the caption column relative to `qrSize`.
    public static let captionWidthRatio = 1.9
    /// A size that scans reliably from a 150 dpi rendering and from a phone
    /// held over paper: 96 pt (≈ 34 mm) for the QR square.
    public static let defaultQRSize = 96.0

    /// The smallest QR square that still decodes from a 150 dpi rendering for
    /// a symbol of `modules` modules a side: 1.2 pt (2.5 pixels at 150 dpi)
    /// per module, quiet zone included, and never under 48 pt.
    public static func minimumQRSize(modules: Int) -> Double {
        max(48, Double(modules + 2 * quietZoneModules) * 1.2)
    }
    /// Light modules around the symbol (ISO/IEC 18004 §6.3.8).
    public static let quietZoneModules = 4

    /// One caption line's style, in units of `qrSize / 100`.
    private struct LineStyle {
        var font: StampFont
        var size: Double
        var minSize: Double
        var maxLines: Int
        var gray: Double
        /// Extra space above this line, for grouping.
        var gapAbove: Double
    }

    private static let nameStyle = LineStyle(font: .bold, size: 10, minSize: 6.5, maxLines: 2, gray: 0, gapAbove: 0)
    private static let titleStyle = LineStyle(font: .regular, size: 8, minSize: 5.5, maxLines: 2, gray: 0.15, gapAbove: 0)
    private static let dateStyle = LineStyle(font: .regular, size: 8, minSize: 5.5, maxLines: 1, gray: 0.15, gapAbove: 3)
    /// The lookup code is read aloud and typed: bold and as large as the date.
    private static let codeStyle = LineStyle(font: .bold, size: 9, minSize: 5, maxLines: 1, gray: 0, gapAbove: 1)
    private static let scanStyle = LineStyle(font: .regular, size: 7, minSize: 5, maxLines: 2, gray: 0.3, gapAbove: 3)
    private static let leading = 1.2
    /// Distance from the top of a line box to its baseline, per point of font size
    /// (Helvetica's ascender is 718/1000; a little more keeps accents inside).
    private static let baselineDrop = 0.9

    /// Renders the stamp for `url` (encoded in the QR code) and `caption`.
    ///
    /// - Parameters:
    ///   - qrSize: side of the QR square in points, quiet zone included;
    ///     also the stamp's height. See `defaultQRSize`.
    ///   - level: QR error correction level.
    /// - Throws: `StampError.invalidGeometry` for a size that is not a
    ///   positive finite number, `StampError.qrEncoding` if the URL cannot be encoded.
    public static func render(url: String, caption: StampCaption, qrSize: Double,
                              level: QRSymbol.ErrorCorrection = .medium) throws -> StampAppearance {
        try render(symbol: QRSymbol(url, level: level), caption: caption, qrSize: qrSize)
    }

    /// Renders the stamp around an already encoded `symbol` (a signer that
    /// also needed its size to place the stamp encodes the URL once).
    public static func render(symbol: QRSymbol, caption: StampCaption, qrSize: Double) throws -> StampAppearance {
        guard qrSize.isFinite, qrSize > 0 else {
            throw StampError(.invalidGeometry, "The QR size must be a positive number of points (got \(qrSize)).")
        }
        let unit = qrSize / 100
        let height = qrSize
        let captionWidth = qrSize * captionWidthRatio
        let width = captionWidth + qrSize
        var stream = ContentStreamWriter()
        stream.emit("q")

        // White background under everything, so the stamp reads on any page.
        stream.emit("g", 1)
        stream.emit("re", 0, 0, width, height)
        stream.emit("f")

        let borderWidth = max(0.5, 0.75 * unit)
        stream.emit("G", 0.4)
        stream.emit("w", borderWidth)
        stream.emit("re", borderWidth / 2, borderWidth / 2, width - borderWidth, height - borderWidth)
        stream.emit("S")

        drawQR(symbol, into: &stream, x: captionWidth, y: 0, side: qrSize)

        let textLeft = 7 * unit
        let textWidth = captionWidth - textLeft - 2 * unit
        let block = captionBlocks(caption).map { text, style in
            (style, TextFitter.fit(text, font: style.font, size: style.size * unit, minSize: style.minSize * unit,
                                   maxWidth: textWidth, maxLines: style.maxLines))
        }.filter { !$0.1.lines.isEmpty }
        let blockHeight = block.reduce(0.0) { total, entry in
            total + entry.0.gapAbove * unit + Double(entry.1.lines.count) * entry.1.fontSize * leading
        }
        // Centred vertically; the styles are sized so that even the longest
        // possible block (two-line name, title and scan text) fits.
        var top = (height + blockHeight) / 2
        for (style, fitted) in block {
            top -= style.gapAbove * unit
            stream.emit("g", style.gray)
            for line in fitted.lines {
                stream.showText(line, font: style.font, size: fitted.fontSize,
                                x: textLeft, y: top - fitted.fontSize * baselineDrop)
                top -= fitted.fontSize * leading
            }
        }
        stream.emit("Q")

        let usedFonts = StampFont.allCases.filter { font in block.contains { $0.0.font == font } }
        return StampAppearance(content: stream.data, width: width, height: height, fonts: usedFonts,
                               qrBox: [captionWidth, 0, width, qrSize], symbol: symbol)
    }

    /// The caption's lines in display order with their styles; a blank title is left out.
    private static func captionBlocks(_ caption: StampCaption) -> [(String, LineStyle)] {
        var blocks: [(String, LineStyle)] = [(caption.signerName, nameStyle)]
        if let title = caption.signerTitle, !title.allSatisfy(\.isWhitespace) {
            blocks.append((title, titleStyle))
        }
        blocks.append((caption.dateText, dateStyle))
        blocks.append((caption.code, codeStyle))
        blocks.append((caption.scanText, scanStyle))
        return blocks
    }

    /// Draws `symbol` with its quiet zone into the square at (`x`, `y`) of side `side`.
    private static func drawQR(_ symbol: QRSymbol, into stream: inout ContentStreamWriter,
                               x: Double, y: Double, side: Double) {
        let modulesPerSide = symbol.size + 2 * quietZoneModules
        let module = side / Double(modulesPerSide)
        stream.emit("q")
        // One unit = one module, origin at the quiet zone's lower-left corner.
        stream.emit("cm", module, 0, 0, module, x, y)
        stream.emit("g", 0)
        for row in 0..<symbol.size {
            // Row 0 is the top of the symbol; PDF's y axis points up.
            let moduleY = Double(modulesPerSide - quietZoneModules - 1 - row)
            for run in symbol.darkRuns(row: row) {
                stream.emit("re", Double(quietZoneModules + run.x), moduleY, Double(run.length), 1)
            }
        }
        stream.emit("f")
        stream.emit("Q")
    }
}
