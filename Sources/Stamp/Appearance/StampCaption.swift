/// The text shown beside the QR code of a signature stamp.
///
/// All fields are plain Unicode; the renderer converts them to WinAnsiEncoding
/// (see `WinAnsi`) and fits them into the caption area.
public struct StampCaption: Sendable, Hashable {
    /// The default call to action, in English and Indonesian. A `" / "` in any
    /// caption line is where the renderer prefers to break it in two.
    public static let defaultScanText = "Scan to verify / Pindai untuk verifikasi"

    /// Who signed (the approver), shown in bold, e.g. "Dr. Ir. Bambang Hartono, M.T.".
    public var signerName: String
    /// The signer's position, e.g. "Ketua Program Studi"; omitted when nil or blank.
    public var signerTitle: String?
    /// When it was signed, already formatted for people, e.g. "14 March 2025 10:22 WIB".
    public var dateText: String
    /// The line that lets a person look the document up without the QR,
    /// e.g. "Kode / Code: K7QM-3XHD-9PWT-2R4F" (the lookup code).
    public var code: String
    /// The call to action under the other lines.
    public var scanText: String

    public init(signerName: String, signerTitle: String? = nil, dateText: String,
                code: String, scanText: String = StampCaption.defaultScanText) {
        self.signerName = signerName
        self.signerTitle = signerTitle
        self.dateText = dateText
        self.code = code
        self.scanText = scanText
    }
}
