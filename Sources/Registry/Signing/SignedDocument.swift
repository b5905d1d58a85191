import Foundation

/// What signing produced, handed to `Registry.completeSigning` (or to
/// `Registry.submit(…, signed:)`, which ignores `requestID`).
public struct SignedDocument: Sendable, Hashable {
    public var requestID: Int64
    /// The verification token (≥ 128-bit random, base64url).
    public var token: String
    /// `SIG-…`, printed in the stamp.
    public var signatureID: String
    /// SHA-256 of the file that was signed: must equal the approved version's hash.
    public var documentHash: String
    /// SHA-256 of the signed PDF.
    public var finalHash: String
    /// Where the signed PDF was written (absolute, or relative to the home).
    public var finalPDFPath: String
    public var verificationURL: String
    public var qr: QRPlacement?
    public var signedAt: Date
    /// The approver named in the certificate.
    public var signerApproverID: Int64
    public var key: KeyMaterial
    /// Extra facts for `document_signatures.signature_metadata` (field name, subfilter, …).
    public var signatureMetadata: Metadata?
    /// The stamp's QR symbol (`Stamp.QRSymbol.archived`), kept for the portal.
    public var qrModules: Data?

    public init(requestID: Int64, token: String, signatureID: String, documentHash: String, finalHash: String,
                finalPDFPath: String, verificationURL: String, qr: QRPlacement?, signedAt: Date,
                signerApproverID: Int64, key: KeyMaterial, signatureMetadata: Metadata? = nil,
                qrModules: Data? = nil) {
        self.requestID = requestID
        self.token = token
        self.signatureID = signatureID
        self.documentHash = documentHash
        self.finalHash = finalHash
        self.finalPDFPath = finalPDFPath
        self.verificationURL = verificationURL
        self.qr = qr
        self.signedAt = signedAt
        self.signerApproverID = signerApproverID
        self.key = key
        self.signatureMetadata = signatureMetadata
        self.qrModules = qrModules
    }
}
