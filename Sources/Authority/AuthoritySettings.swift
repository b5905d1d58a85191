import Foundation
import Record
import Registry

/// What `segel init` decides once for an authority; stored in the registry's
/// `authority` row (settings JSON) so every later command sees the same values.
public struct AuthoritySettings: Codable, Sendable, Hashable {
    /// The institution's name, e.g. "Universitas Contoh"; the CA's subject organisation.
    public var name: String
    /// Where the portal will be served, without a trailing slash.
    public var baseURL: String
    /// Default publish folder.
    public var siteDirectory: String
    /// Validity of each per-document certificate.
    public var leafValidityDays: Int = 1095
    /// Keep each per-document private key (PKCS#8, AES-256, under the passphrase).
    public var retainKeys: Bool = false
    /// How long a published CRL stays current.
    public var crlValidityDays: Int = 7
    /// An external RFC 3161 time-stamping server; nil: the authority's own TSA.
    public var tsaURL: String?
    /// The CA that signs new documents: 1 at `init`, one more at each `segel ca renew`.
    public var caGeneration: Int = 1
    /// The authority's time zone (IANA): the stamp, the pages and the upload check show times in it.
    public var timeZone: String = "Asia/Jakarta"

    public var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")! }

    public init(name: String, baseURL: String, siteDirectory: String) {
        self.name = name
        self.baseURL = AuthoritySettings.normalise(baseURL: baseURL)
        self.siteDirectory = siteDirectory
    }

    /// The current CA's published CRL (`crlDistributionPoints` of every certificate it issues).
    public var crlURL: String { "\(baseURL)/\(CAFiles(generation: caGeneration).crlDER)" }
    /// The current CA's published certificate in DER (`authorityInfoAccess` caIssuers).
    public var caCertificateURL: String { "\(baseURL)/\(CAFiles(generation: caGeneration).certificateDER)" }

    /// The QR target for a new document's token: `<base-url>/v/<f>/<token>/` (`DocumentAddress`).
    public func verificationURL(token: String) -> String {
        "\(baseURL)/\(DocumentAddress(token: token, layout: .sharded).page)"
    }

    static func normalise(baseURL: String) -> String {
        var url = baseURL.trimmingCharacters(in: .whitespacesAndNewlines)
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    /// Refuses a time-stamping server URL that is not plain http(s).
    static func validate(tsaURL: String) throws {
        guard let components = URLComponents(string: tsaURL),
              let scheme = components.scheme?.lowercased(), ["https", "http"].contains(scheme),
              let host = components.host, !host.isEmpty else {
            throw AuthorityError(.usage, "the time-stamping server \"\(tsaURL)\" is not an http(s) URL")
        }
    }

    /// Refuses a base URL that a QR code should not carry.
    static func validate(baseURL: String) throws {
        guard let components = URLComponents(string: baseURL),
              let scheme = components.scheme?.lowercased(), ["https", "http"].contains(scheme),
              let host = components.host, !host.isEmpty,
              components.query == nil, components.fragment == nil
        else {
            throw AuthorityError(.usage, "the base URL \"\(baseURL)\" is not an http(s) URL without query or fragment")
        }
    }
}

extension AuthoritySettings {
    /// The registry's `authority` row keeps the tunables as text settings.
    init(_ info: AuthorityInfo) {
        self.init(name: info.name, baseURL: info.baseURL, siteDirectory: info.siteDir)
        if let days = info.settings["leaf_validity_days"].flatMap(Int.init) { leafValidityDays = days }
        if let retain = info.settings["retain_keys"] { retainKeys = retain == "true" }
        if let days = info.settings["crl_validity_days"].flatMap(Int.init) { crlValidityDays = days }
        if let url = info.settings["tsa_url"], !url.isEmpty { tsaURL = url }
        if let generation = info.settings["ca_generation"].flatMap(Int.init), generation >= 1 { caGeneration = generation }
        if let zone = info.settings["time_zone"], TimeZone(identifier: zone) != nil { timeZone = zone }
    }

    var setup: AuthoritySetup {
        AuthoritySetup(name: name, baseURL: baseURL, siteDir: siteDirectory, settings: [
            "leaf_validity_days": String(leafValidityDays),
            "retain_keys": retainKeys ? "true" : "false",
            "crl_validity_days": String(crlValidityDays),
            "tsa_url": tsaURL ?? "",
            "ca_generation": String(caGeneration),
            "time_zone": timeZone,
        ])
    }
}
