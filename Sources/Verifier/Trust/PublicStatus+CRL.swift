import Foundation
import PKI

extension PublicStatus {
    /// The reason code its certificate carries on the CRL (RFC 5280 §5.3.1):
    /// an invalidated document's certificate is withdrawn from use
    /// (`cessationOfOperation`), a revoked key is treated as compromised
    /// (`keyCompromise`); a valid document is not listed.
    public var crlReason: CRLReason? {
        switch self {
        case .valid: nil
        case .invalidated: .cessationOfOperation
        case .revoked: .keyCompromise
        }
    }
}

extension RevocationListing {
    /// The entry as a CRL carries it.
    public var crlEntry: (serialHex: String, date: Date, reason: CRLReason) {
        (serialHex, date, status.crlReason ?? .unspecified)
    }
}
