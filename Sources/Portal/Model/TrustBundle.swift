/// `trust.json` (format `segel-trust/1`): everything `segel-verify --bundle`
/// needs offline — the CA certificate, the current CRL (RFC 5280 §5), the
/// site's base URL (prefix of every verification URL) and the time of the
/// latest registry change the site reflects.
struct TrustBundle: Encodable, Sendable, Hashable {
    static let format = "segel-trust/1"

    var authority: String
    /// No trailing slash.
    var siteURL: String
    var publishedAt: String
    var caPEM: String
    var crlPEM: String

    enum CodingKeys: String, CodingKey {
        case format, authority
        case siteURL = "site_url"
        case publishedAt = "published_at"
        case caPEM = "ca_pem"
        case crlPEM = "crl_pem"
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.format, forKey: .format)
        try container.encode(authority, forKey: .authority)
        try container.encode(siteURL, forKey: .siteURL)
        try container.encode(publishedAt, forKey: .publishedAt)
        try container.encode(caPEM, forKey: .caPEM)
        try container.encode(crlPEM, forKey: .crlPEM)
    }
}
