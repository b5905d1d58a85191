import Authority
import Foundation
import PDF
import PKI
import TestSupport
import Verifier
import XCTest

/// An authority for the tests: a CA (P-256, so tests run fast), the signer
/// that `segel sign-file` uses, and helpers to publish what the portal would
/// publish (CRL, trust.json, records) into a folder.
final class VerifierFixture: Sendable {
    static let siteURL = "https://verify.example.ac.id"

    let ca: CertificateAuthority
    let settings: AuthoritySettings
    let signer: DocumentSigner

    /// One authority for the whole test run (CA generation is the slow part).
    static let shared = try! VerifierFixture(name: "Universitas Contoh", siteURL: siteURL)
    /// A second, unrelated authority.
    static let other = try! VerifierFixture(name: "Institut Lain", siteURL: "https://verify.lain.example")

    init(name: String, siteURL: String, caValidFrom: Date = Date()) throws {
        let created = try CertificateAuthority.create(
            subject: DistinguishedNameFields(commonName: "\(name) Document Signing CA", organization: name),
            keyType: .p256, now: caValidFrom)
        ca = try CertificateAuthority(key: created.key, certificate: created.certificate)
        settings = AuthoritySettings(name: name, baseURL: siteURL, siteDirectory: "site")
        signer = DocumentSigner(ca: ca, settings: settings)
    }

    struct Signed {
        let data: Data
        let token: String
        let signatureID: String
        let certificate: Certificate
        var sha256: String { Digest.hex(Digest.sha256(data)) }
    }

    /// Signs `pdf` as `segel sign-file` would.
    func sign(_ pdf: Data = TestPDF.make(), now: Date = Date(),
              placement: StampPosition.Placement = .auto) throws -> Signed {
        let token = try Random.token()
        let signatureID = "SIG-" + String(token.prefix(16)).uppercased()
        let result = try signer.sign(pdf: pdf, fileLabel: "test.pdf",
                                     signer: SignerIdentity(name: "Dr. José Müller", title: "Ketua Program Studi"),
                                     token: token, signatureID: signatureID, keyType: .p256,
                                     position: StampPosition(placement: placement), now: now)
        return Signed(data: result.data, token: token, signatureID: signatureID, certificate: result.certificate)
    }

    func crl(revoking: [Certificate] = [], thisUpdate: Date = Date().addingTimeInterval(-3600),
             nextUpdate: Date = Date().addingTimeInterval(7 * 86_400)) throws -> CRL {
        try ca.makeCRL(revoked: revoking.map { ($0.serialHex, thisUpdate, CRLReason.cessationOfOperation) },
                       thisUpdate: thisUpdate, nextUpdate: nextUpdate, crlNumber: 1)
    }

    func record(for signed: Signed, status: PublishedRecord.Status = .valid, reason: String? = nil,
                sha256: String? = nil) -> PublishedRecord {
        PublishedRecord(token: signed.token, status: status, statusReason: reason,
                        statusDate: status == .valid ? nil : Date(), sha256: sha256 ?? signed.sha256,
                        signatureID: signed.signatureID, signedAt: Date(),
                        certificate: .init(serial: signed.certificate.serialHex,
                                           fingerprintSHA256: signed.certificate.sha256FingerprintHex),
                        document: .init(name: "Transkrip Nilai"), signer: .init(name: "Dr. José Müller"))
    }

    func trustStore(crl: CRL) -> TrustStore {
        TrustStore(authority: settings.name, siteURL: settings.baseURL, publishedAt: Date(),
                   caPEM: ca.certificate.pem, crlPEM: crl.pem)
    }

    /// Writes a site copy: trust.json, ca.pem, crl.pem and one record per
    /// entry, where the publisher puts a document signed now (`layout`) or before 0.6.
    func writeSite(in directory: URL, crl: CRL, records: [PublishedRecord],
                   layout: DocumentAddress.Layout = .sharded) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(trustStore(crl: crl)).write(to: directory.appendingPathComponent("trust.json"))
        try Data(ca.certificate.pem.utf8).write(to: directory.appendingPathComponent("ca.pem"))
        try Data(crl.pem.utf8).write(to: directory.appendingPathComponent("crl.pem"))
        for record in records {
            let file = directory.appendingPathComponent(DocumentAddress(token: record.token, layout: layout).record)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try encoder.encode(record).write(to: file)
        }
    }

    /// A verifier trusting this CA and `crl`, optionally with records.
    func verifier(crl: CRL? = nil, records: [PublishedRecord]? = nil, now: Date = Date()) -> Verifier {
        let revocation: RevocationSource = crl.map { .crl($0) } ?? .none
        let trust = TrustContext(mode: records == nil ? .certificate : .site, ca: ca.certificate,
                                 authorityName: settings.name, siteURL: settings.baseURL,
                                 revocation: revocation, records: records.map(MemoryRecords.init))
        return Verifier(trust: trust, now: now)
    }
}

/// Records held in memory, by token.
struct MemoryRecords: RecordSource {
    let records: [String: PublishedRecord]

    init(_ records: [PublishedRecord]) {
        self.records = Dictionary(records.map { ($0.token, $0) }, uniquingKeysWith: { $1 })
    }

    func record(at address: DocumentAddress) -> RecordLookup {
        records[address.token].map { .found($0) } ?? .missing("no record for \(address.token)")
    }
}
