import Foundation
import PKI

/// What the verifier knows about revoked certificates (RFC 5280 §5).
public enum RevocationSource: Sendable {
    /// Nothing: the revocation check is `unknown`.
    case none
    /// A CRL, which must be signed by the CA; past its nextUpdate it says nothing.
    case crl(CRL)
    /// The authority's own registry, current by definition (`segel verify`).
    case registry(revoked: [String: RevocationEntry], asOf: Date)
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
