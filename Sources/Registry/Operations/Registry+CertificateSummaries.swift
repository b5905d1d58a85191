import Foundation
import GRDB

extension Registry {
    /// Keys whose certificate summary is not stored yet (registries written
    /// before 0.4), with their certificate PEM, in id order.
    public func keysWithoutCertificateSummary() throws -> [(id: Int64, certificatePEM: String)] {
        try read("list keys without a certificate summary") { db in
            try Row.fetchAll(db, sql: "SELECT id, certificate FROM digital_signatures WHERE cert_fingerprint_sha256 IS NULL ORDER BY id")
                .map { (id: $0[0], certificatePEM: $0[1]) }
        }
    }

    /// Stores certificate summaries read by the caller (the one-time fill of
    /// schema `v4`), in one transaction; a key that already has one is left
    /// alone. Derived data: no audit row.
    public func storeCertificateSummaries(_ summaries: [Int64: CertificateSummary]) throws {
        guard !summaries.isEmpty else { return }
        let columns = DigitalSignature.summaryColumns
        try write("store certificate summaries") { db in
            for (id, summary) in summaries.sorted(by: { $0.key < $1.key }) {
                try db.execute(sql: """
                    UPDATE digital_signatures SET \(columns.subject) = ?, \(columns.issuer) = ?,
                        \(columns.keyAlgorithm) = ?, \(columns.fingerprint) = ?
                    WHERE id = ? AND \(columns.fingerprint) IS NULL
                    """, arguments: [summary.subject, summary.issuer, summary.keyAlgorithm, summary.fingerprintSHA256, id])
            }
        }
    }
}
