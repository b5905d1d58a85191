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
    /// The per-document key id, `SIG-…`.
    public var signatureID: String
    /// The call to action under the other lines.
    public var scanText: String

    public init(signerName: String, signerTitle: String? = nil, dateText: String,
                signatureID: String, scanText: String = StampCaption.defaultScanText) {
        self.signerName = signerName
        self.signerTitle = signerTitle
        self.dateText = dateText
        self.signatureID = signatureID
        self.scanText = scanText
    }
}
