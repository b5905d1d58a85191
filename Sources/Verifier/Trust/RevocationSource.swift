import Foundation
import PKI

/// What the verifier knows about revoked certificates (RFC 5280 §5).
public enum RevocationSource: Sendable {
    /// Nothing: the revocation check is `unknown`.
    case none
    /// One CRL per trusted CA, each signed by its CA; past its nextUpdate a CRL says nothing.
    case crls([CRL])
    /// The authority's own registry, current by definition (`segel verify`).
    case registry(revoked: [String: RevocationEntry], asOf: Date)

    /// The CRL of an authority with one CA.
    public static func crl(_ crl: CRL) -> RevocationSource { .crls([crl]) }
}

/// One revoked serial as the registry records it.
public struct RevocationEntry: Sendable, Hashable {
    public var date: Date
    public var reason: String?

    public init(date: Date, reason: String?) {
        self.date = date
        self.reason = reason
    }
}
