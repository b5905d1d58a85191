import Foundation

extension CertificateAuthority {
    /// `CRLBuilder.makeCRL` with this authority as issuer.
    public func makeCRL(revoked: [(serialHex: String, date: Date, reason: CRLReason)], thisUpdate: Date,
                        nextUpdate: Date, crlNumber: Int) throws -> CRL {
        try CRLBuilder.makeCRL(ca: self, revoked: revoked, thisUpdate: thisUpdate, nextUpdate: nextUpdate,
                               crlNumber: crlNumber)
    }
}
