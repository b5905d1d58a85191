import Foundation

/// One entry of a CRL's revokedCertificates list (RFC 5280 §5.1.2.6).
public struct RevokedCertificate: Sendable, Hashable {
    /// Same text form as `Certificate.serialHex`.
    public let serialHex: String
    public let revocationDate: Date
    /// `.unspecified` when the entry has no reasonCode extension (RFC 5280 §5.3.1
    /// says to omit the extension rather than write unspecified) or an unknown code.
    public let reason: CRLReason

    public init(serialHex: String, revocationDate: Date, reason: CRLReason) {
        self.serialHex = serialHex
        self.revocationDate = revocationDate
        self.reason = reason
    }
}
