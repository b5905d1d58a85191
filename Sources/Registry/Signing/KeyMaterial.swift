import Foundation

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
    public var certificateSummary: CertificateSummary?
    public var metadata: Metadata?

    public init(publicKeyPEM: String, encryptedPrivateKeyPEM: String?, algorithm: String, keyLength: Int,
                certificatePEM: String, serialHex: String, validFrom: Date, validUntil: Date,
                certificateSummary: CertificateSummary? = nil, metadata: Metadata? = nil) {
        self.publicKeyPEM = publicKeyPEM
        self.encryptedPrivateKeyPEM = encryptedPrivateKeyPEM
        self.algorithm = algorithm
        self.keyLength = keyLength
        self.certificatePEM = certificatePEM
        self.serialHex = serialHex
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.certificateSummary = certificateSummary
        self.metadata = metadata
    }
}
