import Foundation

/// One CRL entry (RFC 5280 §5.1.2.6 `revokedCertificates`): serial,
/// revocation date, and the reason text (PKI maps it to a CRLReason code).
public struct RevokedCertificate: Sendable, Hashable, Codable {
    public var serialHex: String
    public var revokedAt: Date
    public var reason: String?
    public var signatureID: String
}
