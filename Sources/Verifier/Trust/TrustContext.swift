import Foundation
import IssuanceLog
import PKI

/// What the verifier trusts, and nothing else: the authority's CA
/// certificate, what it says about revocation, and (with a site) the
/// published per-document records. The file being checked is never trusted.
public struct TrustContext: Sendable {
    /// Where the trust came from, which decides which checks matter (CLI.md).
    public enum Mode: String, Sendable, Hashable {
        /// `--site DIR`: CA, CRL and per-token records.
        case site
        /// `--bundle trust.json`: CA and CRL; records unavailable.
        case bundle
        /// `--ca ca.pem [--crl crl.pem]`: cryptographic checks only.
        case certificate
        /// `segel verify`: the authority's own CA, revocations and records from its registry.
        case registry
    }

    public var mode: Mode
    /// The trust anchor: the authority's (first) root CA certificate.
    public var ca: Certificate
    /// The CAs that succeeded it (`segel ca renew`), oldest first; trusted alike.
    public var successorCAs: [Certificate] = []
    /// The institution's name, when known (trust.json's `authority`).
    public var authorityName: String?
    /// The portal's base URL without a trailing slash, when known: every
    /// certificate the authority issues names `<siteURL>/v/<token>/`.
    public var siteURL: String?
    /// When the trust data was published (trust.json's `published_at`).
    public var publishedAt: Date?
    public var revocation: RevocationSource
    /// Roots trusted for time-stamping authorities besides the authority's
    /// own TSA (which its CA vouches for): a token is trusted when its signer
    /// is issued by one of these CA certificates and valid when it stamped.
    public var timestampRoots: [Certificate] = []
    /// The published records; nil when the mode has none (the record check is then `unknown`).
    public var records: (any RecordSource)?
    /// The issuance log's verifier key (trust.json `log_vkey`); nil when the site publishes no log.
    public var logVerifier: VerifierKey?

    public init(mode: Mode, ca: Certificate, authorityName: String? = nil, siteURL: String? = nil,
                publishedAt: Date? = nil, revocation: RevocationSource, records: (any RecordSource)? = nil) {
        self.mode = mode
        self.ca = ca
        self.authorityName = authorityName
        self.siteURL = siteURL.map(TrustContext.normalise(siteURL:))
        self.publishedAt = publishedAt
        self.revocation = revocation
        self.records = records
    }

    /// Every trusted CA, oldest first.
    public var cas: [Certificate] { [ca] + successorCAs }

    /// The trusted CA that issued `certificate` (issuer name and signature), if any.
    public func issuingCA(of certificate: Certificate) -> Certificate? {
        cas.last { certificate.isIssued(by: $0) }
    }

    /// The authority as people know it: trust.json's name, else the CA's organisation or common name.
    public var authorityLabel: String {
        authorityName ?? ca.subject.organization ?? ca.subject.commonName ?? ca.subject.string
    }

    static func normalise(siteURL: String) -> String {
        var url = siteURL.trimmingCharacters(in: .whitespacesAndNewlines)
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
