import Foundation

/// A rendered stamp: the content stream of a form XObject (ISO 32000-2 §8.10)
/// to be used as the signature widget's normal appearance (§12.5.5).
///
/// The integrator wraps `content` in a stream dictionary
/// `<< /Type /XObject /Subtype /Form /BBox [0 0 width height] /Matrix …
/// /Resources << /Font << /F1 … /F2 … >> >> >>` where each font is
/// `<< /Type /Font /Subtype /Type1 /BaseFont /<font.baseFont> /Encoding /WinAnsiEncoding >>`
/// for every entry of `fonts`, and the `/Matrix` comes from `StampPlacement`.
public struct StampAppearance: Sendable, Hashable {
    /// Content stream operators (ISO 32000-2 §8.2, §9.4), 7-bit ASCII, not
    /// compressed; the integrator may Flate-encode it.
    public let content: Data
    /// Width of the form in points.
    public let width: Double
    /// Height of the form in points.
    public let height: Double
    /// The fonts the content selects with `Tf`, by `StampFont.resourceName`.
    public let fonts: [StampFont]
    /// Where the QR code, quiet zone included, lies in form space: `[x0 y0 x1 y1]`.
    public let qrBox: [Double]
    /// The QR symbol drawn, e.g. to export the same code as PNG or SVG.
    public let symbol: QRSymbol

    /// The form's `/BBox`: `[0 0 width height]`.
    public var bbox: [Double] { [0, 0, width, height] }

    /// `/F1`, `/F2`…: the names the form's `/Resources /Font` dictionary must define.
    public var fontResourceNames: [String] { fonts.map(\.resourceName) }

    public init(content: Data, width: Double, height: Double, fonts: [StampFont], qrBox: [Double], symbol: QRSymbol) {
        self.content = content
        self.width = width
        self.height = height
        self.fonts = fonts
        self.qrBox = qrBox
        self.symbol = symbol
    }
}
