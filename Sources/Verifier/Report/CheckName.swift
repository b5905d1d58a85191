/// The nine checks reported for every signature, in the order CLI.md lists
/// them: the six checks of DESIGN.md with "CMS" split into digest and
/// signature, and "chain" split into chain and validity; then the issuance
/// log (since 0.6).
public enum CheckName: String, Sendable, Hashable, CaseIterable, Codable {
    /// 1. The file parses strictly in every revision; the signature dictionary is well-formed.
    case structure
    /// 2. ByteRange `[0 a b c]`, its gap is exactly this `/Contents`, no overlap, covers to EOF.
    case coverage
    /// 3a. `messageDigest` is the hash of the ranged bytes.
    case digest
    /// 3b. The CMS signature verifies and signingCertificateV2 names the signer's certificate.
    case signature
    /// 4a. The signer's certificate was issued by the trusted CA.
    case chain
    /// 4b. The certificate (and the CA) were valid when the document was signed.
    case validity
    /// 5. The certificate is not revoked.
    case revocation
    /// 6. The published record says valid and matches the file and certificate.
    case record
    /// 7. The document's issuance entry is in the authority's public log, under a signed checkpoint.
    case log

    /// How the check is named for people.
    public var title: String {
        switch self {
        case .structure: "structure"
        case .coverage: "coverage"
        case .digest: "digest"
        case .signature: "signature"
        case .chain: "chain"
        case .validity: "validity"
        case .revocation: "revocation"
        case .record: "record"
        case .log: "log"
        }
    }
}
