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
    /// The signers after the first, in order, when one call signed for several
    /// (`sign-file --by A --by B`, a batch row with `signers`).
    public var laterSteps: [SignedStep] = []
    /// The signed PDF's SHA-256 right after the first signer (nil: `finalHash`).
    public var firstSignedHash: String?

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

/// One signer's signature on a document that several sign: their key and
/// certificate, stamp and time, and the file's hash right after.
public struct SignedStep: Sendable, Hashable {
    public var signatureID: String
    public var signerApproverID: Int64
    public var key: KeyMaterial
    public var qr: QRPlacement?
    public var qrModules: Data?
    public var signedAt: Date
    public var signedHash: String

    public init(signatureID: String, signerApproverID: Int64, key: KeyMaterial, qr: QRPlacement?, qrModules: Data?,
                signedAt: Date, signedHash: String) {
        self.signatureID = signatureID
        self.signerApproverID = signerApproverID
        self.key = key
        self.qr = qr
        self.qrModules = qrModules
        self.signedAt = signedAt
        self.signedHash = signedHash
    }
}
