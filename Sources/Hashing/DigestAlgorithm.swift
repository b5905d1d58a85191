import COpenSSL

/// Hash algorithms that may appear as a CMS `DigestAlgorithmIdentifier`
/// (RFC 5652 §10.1.1; OIDs from RFC 5754 and RFC 3370).
///
/// segel signs only with SHA-256; the others exist so the verifier can compute
/// the digest a foreign signature claims and report on it instead of failing
/// blindly, and so the PDF reader can derive the keys of encrypted files (MD5
/// for revisions 2-4 of the standard security handler, SHA-256/384/512 for 6).
///
/// The one module for hashing in segel: every digest is libcrypto's, through
/// ``StreamingDigest`` or ``Digest``.
public enum DigestAlgorithm: String, Sendable, Hashable, CaseIterable {
    case md5 = "MD5"
    case sha1 = "SHA-1"
    case sha256 = "SHA-256"
    case sha384 = "SHA-384"
    case sha512 = "SHA-512"

    /// Dotted object identifier.
    public var oid: String {
        switch self {
        case .md5: "1.2.840.113549.2.5"
        case .sha1: "1.3.14.3.2.26"
        case .sha256: "2.16.840.1.101.3.4.2.1"
        case .sha384: "2.16.840.1.101.3.4.2.2"
        case .sha512: "2.16.840.1.101.3.4.2.3"
        }
    }

    /// Output length in bytes.
    public var outputLength: Int {
        switch self {
        case .md5: 16
        case .sha1: 20
        case .sha256: 32
        case .sha384: 48
        case .sha512: 64
        }
    }

    /// The algorithm an OID names, or nil for anything else.
    public init?(oid: String) {
        guard let match = Self.allCases.first(where: { $0.oid == oid }) else { return nil }
        self = match
    }

    /// The algorithm's implementation, fetched from libcrypto's providers once
    /// per process (never freed). `EVP_sha256()` and the like make libcrypto 3
    /// look the implementation up again at every `EVP_DigestInit_ex`, which
    /// tripled the time of a small digest (0.86 µs against 0.29 µs for 64
    /// bytes here); a site's publish takes tens of thousands of them. An
    /// algorithm the providers do not offer (MD5 under FIPS) keeps the static
    /// table, whose initialisation then fails as before.
    var evpMD: OpaquePointer {
        switch self {
        case .md5: Self.fetched.md5 ?? EVP_md5()
        case .sha1: Self.fetched.sha1 ?? EVP_sha1()
        case .sha256: Self.fetched.sha256 ?? EVP_sha256()
        case .sha384: Self.fetched.sha384 ?? EVP_sha384()
        case .sha512: Self.fetched.sha512 ?? EVP_sha512()
        }
    }

    private struct Fetched {
        let md5 = EVP_MD_fetch(nil, "MD5", nil)
        let sha1 = EVP_MD_fetch(nil, "SHA1", nil)
        let sha256 = EVP_MD_fetch(nil, "SHA256", nil)
        let sha384 = EVP_MD_fetch(nil, "SHA384", nil)
        let sha512 = EVP_MD_fetch(nil, "SHA512", nil)
    }

    /// Read-only after its thread-safe lazy initialisation.
    nonisolated(unsafe) private static let fetched = Fetched()
}
