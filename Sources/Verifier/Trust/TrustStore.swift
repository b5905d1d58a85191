import Foundation

/// `trust.json`: everything `segel-verify` needs to check documents offline —
/// the authority's CA certificate, its current CRL (RFC 5280 §5), the site's
/// base URL (the prefix of every verification URL in a certificate) and when
/// the site was published.
///
/// ```json
/// {"format": "segel-trust/1", "authority": "Universitas Contoh",
///  "site_url": "https://verify.example.ac.id", "published_at": "2024-05-01T10:00:00Z",
///  "ca_pem": "-----BEGIN CERTIFICATE-----…", "crl_pem": "-----BEGIN X509 CRL-----…"}
/// ```
///
/// After `segel ca renew`, `authorities` lists every CA with its own CRL
/// (`[{"generation": 1, "ca_pem": …, "crl_pem": …}, …]`, oldest first), while
/// `ca_pem`/`crl_pem` stay the first CA's, which every earlier verifier reads.
///
/// The portal writes this type and the verifier reads it, so the format has one
/// definition. Unknown keys are ignored when reading.
public struct TrustStore: Codable, Sendable, Hashable {
    /// The value of `format` this version writes and accepts.
    public static let formatIdentifier = "segel-trust/1"

    public var format: String
    /// The institution's name.
    public var authority: String
    /// The portal's base URL without a trailing slash.
    public var siteURL: String
    /// ISO 8601 UTC, e.g. `2024-05-01T10:00:00Z`.
    public var publishedAt: String
    public var caPEM: String
    public var crlPEM: String
    /// Every CA with its CRL, oldest first (absent before 0.5: only `ca_pem`/`crl_pem`).
    public var authorities: [Authority]?
    /// The roots the authority trusts for external time-stamping authorities
    /// (`--tsa-root`); absent when it uses only its own TSA.
    public var timestampPEMs: [String]?
    /// The issuance log's verifier key (c2sp.org/signed-note vkey; its name is
    /// the log's origin); absent before 0.6.
    public var logVKey: String?

    public struct Authority: Codable, Sendable, Hashable {
        public var generation: Int
        public var caPEM: String
        public var crlPEM: String

        public init(generation: Int, caPEM: String, crlPEM: String) {
            self.generation = generation
            self.caPEM = caPEM
            self.crlPEM = crlPEM
        }

        enum CodingKeys: String, CodingKey {
            case generation
            case caPEM = "ca_pem"
            case crlPEM = "crl_pem"
        }
    }

    public init(authority: String, siteURL: String, publishedAt: Date, caPEM: String, crlPEM: String) {
        self.format = TrustStore.formatIdentifier
        self.authority = authority
        self.siteURL = siteURL
        self.publishedAt = ISOTime.string(from: publishedAt)
        self.caPEM = caPEM
        self.crlPEM = crlPEM
    }

    enum CodingKeys: String, CodingKey {
        case format, authority
        case siteURL = "site_url"
        case publishedAt = "published_at"
        case caPEM = "ca_pem"
        case crlPEM = "crl_pem"
        case authorities
        case timestampPEMs = "timestamp_pems"
        case logVKey = "log_vkey"
    }

    /// `publishedAt` as a date, if it is valid ISO 8601.
    public var publishedDate: Date? { ISOTime.date(from: publishedAt) }

    /// Reads and checks the format identifier; throws `.trustInput` on anything else.
    public static func decode(_ data: Data, path: String) throws -> TrustStore {
        let store: TrustStore
        do {
            store = try JSONDecoder().decode(TrustStore.self, from: data)
        } catch {
            throw VerifierError(.trustInput, "\(path) is not a segel trust file (\(TrustStore.describe(error)))", path: path)
        }
        guard store.format == formatIdentifier else {
            throw VerifierError(.trustInput, "\(path) has format \"\(store.format)\", expected \"\(formatIdentifier)\"",
                                path: path)
        }
        return store
    }

    /// A short description of a decoding error (which key, what was wrong).
    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "the key \"\(key.stringValue)\" is missing"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "unexpected JSON" : "\"\(path)\" has the wrong type"
        case DecodingError.dataCorrupted: return "not valid JSON"
        default: return "\(error)"
        }
    }
}
