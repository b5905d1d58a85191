/// The key types segel issues: per-document keys and the CA key.
///
/// RSA keys use the public exponent 65537 and sign with PKCS#1 v1.5 / SHA-256
/// (RFC 8017 §8.2); P-256 keys (FIPS 186-4, `prime256v1`) sign with
/// ECDSA / SHA-256 (RFC 5758 §3.2).
public enum KeyType: String, Sendable, Hashable, CaseIterable {
    case rsa2048
    case rsa3072
    case p256

    /// Modulus length for RSA, field size for EC.
    public var bits: Int {
        switch self {
        case .rsa2048: 2048
        case .rsa3072: 3072
        case .p256: 256
        }
    }

    /// Algorithm family as shown to people ("RSA", "EC P-256").
    public var algorithmName: String {
        switch self {
        case .rsa2048, .rsa3072: "RSA"
        case .p256: "EC P-256"
        }
    }

    /// Family and size as shown on certificate pages ("RSA 2048", "EC P-256").
    public var displayName: String {
        switch self {
        case .rsa2048, .rsa3072: "RSA \(bits)"
        case .p256: "EC P-256"
        }
    }
}
