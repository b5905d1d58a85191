import Foundation

/// One certificate the authority's CRL must list: every document whose public
/// status is not valid (invalidated or revoked), with the date it took effect.
/// The published CRL and the CRL embedded in each newly signed PDF (B-LT) are
/// built from this one rule (the registry fills it, `crlEntry` maps it).
public struct RevocationListing: Sendable, Hashable {
    public var serialHex: String
    public var date: Date
    public var status: PublicStatus
    /// The certificate's issuer (RFC 4514), which names the CA whose CRL lists it.
    public var issuer: String?

    public init(serialHex: String, date: Date, status: PublicStatus, issuer: String?) {
        self.serialHex = serialHex
        self.date = date
        self.status = status
        self.issuer = issuer
    }
}
