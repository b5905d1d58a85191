import Foundation

/// Where the QR stamp was drawn: 1-based page, lower-left corner and side
/// length in PDF user-space points (ISO 32000-2 §8.3.2.3).
public struct QRPlacement: Sendable, Hashable, Codable {
    public var page: Int
    public var x: Double
    public var y: Double
    public var size: Double

    public init(page: Int, x: Double, y: Double, size: Double) {
        self.page = page
        self.x = x
        self.y = y
        self.size = size
    }
}

/// The per-document key and its certificate, as the PKI module produced them.
public struct KeyMaterial: Sendable, Hashable {
    /// SubjectPublicKeyInfo PEM (RFC 5280 §4.1.2.7).
    public var publicKeyPEM: String
    /// Encrypted PKCS#8 PEM (RFC 5958) when the authority retains keys, else nil.
    public var encryptedPrivateKeyPEM: String?
    /// E.g. `RSA-SHA256`, `ECDSA-SHA256`.
    public var algorithm: String
    /// Bits: 2048, 3072, 256.
    public var keyLength: Int
    public var certificatePEM: String
    /// Certificate serial (RFC 5280 §4.1.2.2) in hex; stored lowercase.
    public var serialHex: String
    public var validFrom: Date
    public var validUntil: Date
    public var metadata: Metadata?

    public init(publicKeyPEM: String, encryptedPrivateKeyPEM: String?, algorithm: String, keyLength: Int,
                certificatePEM: String, serialHex: String, validFrom: Date, validUntil: Date,
                metadata: Metadata? = nil) {
        self.publicKeyPEM = publicKeyPEM
        self.encryptedPrivateKeyPEM = encryptedPrivateKeyPEM
        self.algorithm = algorithm
        self.keyLength = keyLength
        self.certificatePEM = certificatePEM
        self.serialHex = serialHex
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.metadata = metadata
    }
}

/// What signing produced, handed to `Registry.completeSigning`.
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

    public init(requestID: Int64, token: String, signatureID: String, documentHash: String, finalHash: String,
                finalPDFPath: String, verificationURL: String, qr: QRPlacement?, signedAt: Date,
                signerApproverID: Int64, key: KeyMaterial, signatureMetadata: Metadata? = nil) {
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
    }
}
