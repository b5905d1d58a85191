import Foundation
import GRDB
import Record

extension RevocationListing {
    /// Nil while the document is valid. The date is the key's revocation, else
    /// the status change, else the signature's last change.
    public init?(signature: DocumentSignature, key: DigitalSignature) {
        guard signature.publicStatus != .valid else { return nil }
        self.init(serialHex: key.serialHex,
                  date: key.revokedAt ?? signature.publicStatusAt ?? signature.updatedAt,
                  status: signature.publicStatus, issuer: key.certificateSummary?.issuer)
    }
}

extension PublishedDocument {
    /// One entry per signer's certificate while the document is not valid.
    public var revocationListings: [RevocationListing] { keys.compactMap { RevocationListing(signature: signature, key: $0) } }
}

extension Registry {
    /// Every certificate the CRL lists now, ordered by serial.
    public func revocationListings() throws -> [RevocationListing] {
        try read("list the certificates the CRL lists") { db in
            let signatures = try DocumentSignature.filter(Column("public_status") != PublicStatus.valid.rawValue).fetchAll(db)
            return try signatures.flatMap { signature in
                try Lookup.keys(db, of: signature).compactMap { RevocationListing(signature: signature, key: $0) }
            }.sorted { $0.serialHex < $1.serialHex }
        }
    }
}
