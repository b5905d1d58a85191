/// What the portal and `segel verify` show of a per-document certificate
/// beyond its serial and validity (stored in `digital_signatures` too): read
/// once by libcrypto when the certificate is made, so publishing never parses
/// certificates again. Nil for keys of registries written before 0.4 until the
/// authority fills them (`Authority` does on opening, with PKI).
public struct CertificateSummary: Codable, Sendable, Hashable {
    /// RFC 4514 strings, as PKI's `DistinguishedName.string`.
    public var subject: String
    public var issuer: String
    /// As PKI's `Certificate.publicKeyAlgorithm`, e.g. "EC P-256", "RSA 2048".
    public var keyAlgorithm: String
    /// SHA-256 of the certificate's DER, lowercase hex.
    public var fingerprintSHA256: String

    public init(subject: String, issuer: String, keyAlgorithm: String, fingerprintSHA256: String) {
        self.subject = subject
        self.issuer = issuer
        self.keyAlgorithm = keyAlgorithm
        self.fingerprintSHA256 = fingerprintSHA256
    }
}
