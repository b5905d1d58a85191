/// A page object (ISO 32000-2 §7.7.3.3) with its inheritable attributes
/// resolved (§7.7.3.4: `MediaBox`, `CropBox`, `Rotate`, `Resources`).
public struct Page: Sendable, Hashable {
    /// Zero-based position in document order.
    public let index: Int
    /// The page object's reference.
    public let ref: ObjectRef
    /// The page dictionary as stored (without inherited entries).
    public let dictionary: PDFDictionary
    /// `/MediaBox`, inherited if absent; US Letter if missing everywhere.
    public let mediaBox: PDFRectangle
    /// `/CropBox`, inherited if absent, clipped to the media box (§14.11.2);
    /// the media box when absent everywhere.
    public let cropBox: PDFRectangle
    /// `/Rotate` normalised to 0, 90, 180 or 270 (clockwise, §7.7.3.3 Table 31).
    public let rotate: Int
    /// `/Resources`, inherited if absent, resolved to a dictionary.
    public let resources: PDFDictionary?

    /// The page's visible size in points after rotation.
    public var displayWidth: Double { rotate % 180 == 0 ? cropBox.width : cropBox.height }
    public var displayHeight: Double { rotate % 180 == 0 ? cropBox.height : cropBox.width }
}
