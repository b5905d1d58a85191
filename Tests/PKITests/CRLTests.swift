import Foundation
import Testing
@testable import PKI

@Suite("Certificate revocation lists")
struct CRLTests {
    static let thisUpdate = Date(timeIntervalSince1970: 1_767_225_600)        // 2026-01-01
    static let nextUpdate = Date(timeIntervalSince1970: 1_767_225_600 + 7 * 86_400)

    struct Fixture {
        let authority: CertificateAuthority
        let leaves: [Certificate]
        let crl: CRL
    }

    static func fixture(_ keyType: KeyType = .p256) throws -> Fixture {
        let created = try CertificateAuthority.create(subject: DistinguishedNameFields(commonName: "CRL Test CA", country: "ID"),
                                                      keyType: keyType, now: thisUpdate.addingTimeInterval(-86_400))
        let authority = try CertificateAuthority(key: created.key, certificate: created.certificate)
        let key = try PrivateKey.generate(.p256)
        let leaves = try (0..<3).map { index in
            try authority.issueLeaf(subject: DistinguishedNameFields(commonName: "Signer \(index)"), publicKeyOf: key,
                                    uri: "https://verify.example.ac.id/v/\(index)/", now: thisUpdate.addingTimeInterval(-3600))
        }
        let crl = try authority.makeCRL(
            revoked: [(leaves[0].serialHex, thisUpdate.addingTimeInterval(-60), .keyCompromise),
                      (leaves[1].serialHex.uppercased(), thisUpdate.addingTimeInterval(-120), .cessationOfOperation),
                      ("0a", thisUpdate.addingTimeInterval(-180), .unspecified)],
            thisUpdate: thisUpdate, nextUpdate: nextUpdate, crlNumber: 42)
        return Fixture(authority: authority, leaves: leaves, crl: crl)
    }

    @Test("Fields read back: dates, number, AKI, sorted entries, reasons")
    func fields() throws {
        let fixture = try Self.fixture()
        let crl = fixture.crl
        #expect(crl.issuer == fixture.authority.certificate.subject)
        #expect(crl.thisUpdate == Self.thisUpdate)
        #expect(crl.nextUpdate == Self.nextUpdate)
        #expect(crl.crlNumber == 42)
        #expect(crl.authorityKeyIdentifier == fixture.authority.certificate.subjectKeyIdentifier)
        #expect(crl.entries.map(\.serialHex).first == "0a")
        let sortedTail = crl.entries.dropFirst().map(\.serialHex)
        #expect(sortedTail == [fixture.leaves[0].serialHex, fixture.leaves[1].serialHex].sorted())
        let map = crl.revokedSerials
        #expect(map.count == 3)
        #expect(map[fixture.leaves[0].serialHex]?.reason == .keyCompromise)
        #expect(map[fixture.leaves[0].serialHex]?.date == Self.thisUpdate.addingTimeInterval(-60))
        #expect(map[fixture.leaves[1].serialHex]?.reason == .cessationOfOperation)
        #expect(map["0a"]?.reason == .unspecified)
        #expect(crl.entry(for: fixture.leaves[0])?.reason == .keyCompromise)
        #expect(crl.entry(for: fixture.leaves[2]) == nil)
        #expect(crl.isSigned(by: fixture.authority.certificate))
        #expect(!crl.isSigned(by: fixture.leaves[0]))
        #expect(crl.isCurrent(at: Self.thisUpdate.addingTimeInterval(3600)))
        #expect(!crl.isCurrent(at: Self.nextUpdate.addingTimeInterval(1)))
        #expect(!crl.isCurrent(at: Self.thisUpdate.addingTimeInterval(-1)))
    }

    @Test("DER and PEM round trips; RSA CRLs are byte-for-byte deterministic")
    func encodings() throws {
        let fixture = try Self.fixture(.rsa2048)
        #expect(try CRL(der: fixture.crl.der) == fixture.crl)
        #expect(try CRL(pem: fixture.crl.pem) == fixture.crl)
        #expect(fixture.crl.pem.hasPrefix("-----BEGIN X509 CRL-----\n"))
        // Same revocations in another order → same bytes.
        let again = try fixture.authority.makeCRL(
            revoked: [("0A", Self.thisUpdate.addingTimeInterval(-180), .unspecified),
                      (fixture.leaves[1].serialHex, Self.thisUpdate.addingTimeInterval(-120), .cessationOfOperation),
                      (fixture.leaves[0].serialHex, Self.thisUpdate.addingTimeInterval(-60), .keyCompromise)],
            thisUpdate: Self.thisUpdate, nextUpdate: Self.nextUpdate, crlNumber: 42)
        #expect(again.der == fixture.crl.der)
        let empty = try fixture.authority.makeCRL(revoked: [], thisUpdate: Self.thisUpdate, nextUpdate: Self.nextUpdate,
                                                  crlNumber: 1)
        #expect(empty.entries.isEmpty)
        #expect(empty.isSigned(by: fixture.authority.certificate))
    }

    @Test("Every reason code except removeFromCRL round-trips")
    func reasons() throws {
        let fixture = try Self.fixture()
        let usable = CRLReason.allCases.filter { $0 != .removeFromCRL }
        let revoked = usable.enumerated().map { index, reason in
            (serialHex: String(format: "%02x", index + 1), date: Self.thisUpdate, reason: reason)
        }
        let crl = try fixture.authority.makeCRL(revoked: revoked, thisUpdate: Self.thisUpdate,
                                                nextUpdate: Self.nextUpdate, crlNumber: 2)
        #expect(crl.entries.map(\.reason) == usable)
        let error = #expect(throws: PKIError.self) {
            try fixture.authority.makeCRL(revoked: [("01", Self.thisUpdate, .removeFromCRL)], thisUpdate: Self.thisUpdate,
                                          nextUpdate: Self.nextUpdate, crlNumber: 3)
        }
        #expect(error?.code == .crlBuilding)
    }

    @Test("Bad inputs are refused")
    func badInputs() throws {
        let fixture = try Self.fixture()
        let cases: [([(serialHex: String, date: Date, reason: CRLReason)], Date, Int, PKIError.Code)] = [
            ([("xyz", Self.thisUpdate, .superseded)], Self.nextUpdate, 1, .invalidSerial),
            ([("", Self.thisUpdate, .superseded)], Self.nextUpdate, 1, .invalidSerial),
            ([("-01", Self.thisUpdate, .superseded)], Self.nextUpdate, 1, .invalidSerial),
            ([("01", Self.thisUpdate, .superseded), ("0001", Self.thisUpdate, .keyCompromise)], Self.nextUpdate, 1, .invalidSerial),
            ([], Self.thisUpdate, 1, .crlBuilding),
            ([], Self.nextUpdate, -1, .crlBuilding),
        ]
        for (revoked, next, number, code) in cases {
            let error = #expect(throws: PKIError.self) {
                try fixture.authority.makeCRL(revoked: revoked, thisUpdate: Self.thisUpdate, nextUpdate: next, crlNumber: number)
            }
            #expect(error?.code == code)
        }
        for input in [Data(), Data([0x30, 0x03, 0x02, 0x01, 0x01]), fixture.crl.der + Data([0])] {
            let error = #expect(throws: PKIError.self) { try CRL(der: input) }
            #expect(error?.code == .invalidCRL)
        }
    }

    @Test("openssl crl -verify accepts it and lists serials, reasons and dates",
          .enabled(if: TestSupport.hasOpenSSL, "openssl binary not installed"))
    func opensslReadsIt() throws {
        let fixture = try Self.fixture(.rsa2048)
        let directory = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let caPath = try TestSupport.write(fixture.authority.certificate.pem, directory, "ca.pem")
        let crlPath = try TestSupport.write(fixture.crl.pem, directory, "crl.pem")
        let result = try TestSupport.openssl(["crl", "-in", crlPath, "-CAfile", caPath, "-verify", "-noout", "-text"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stderr.contains("verify OK"), "\(result.output)")
        #expect(result.stdout.contains("Version 2 (0x1)"))
        #expect(result.stdout.contains("Signature Algorithm: sha256WithRSAEncryption"))
        #expect(result.stdout.contains("Last Update: Jan  1 00:00:00 2026 GMT"))
        #expect(result.stdout.contains("Next Update: Jan  8 00:00:00 2026 GMT"))
        #expect(result.stdout.contains("X509v3 CRL Number: \n                42"))
        #expect(result.stdout.contains("X509v3 Authority Key Identifier"))
        for leaf in fixture.leaves.prefix(2) {
            #expect(result.stdout.contains("Serial Number: \(leaf.serialHex.uppercased())"))
        }
        #expect(!result.stdout.contains("Serial Number: \(fixture.leaves[2].serialHex.uppercased())"))
        #expect(result.stdout.contains("Key Compromise"))
        #expect(result.stdout.contains("Cessation Of Operation"))
        #expect(result.stdout.components(separatedBy: "X509v3 CRL Reason Code").count == 3)

        // openssl verify with CRL checking: revoked leaf refused, others accepted.
        let revokedPath = try TestSupport.write(fixture.leaves[0].pem, directory, "revoked.pem")
        let goodPath = try TestSupport.write(fixture.leaves[2].pem, directory, "good.pem")
        let atTime = String(Int(Self.thisUpdate.timeIntervalSince1970) + 3600)
        let refused = try TestSupport.openssl(["verify", "-crl_check", "-CAfile", caPath, "-CRLfile", crlPath,
                                               "-attime", atTime, revokedPath])
        #expect(refused.status != 0)
        #expect(refused.output.contains("certificate revoked"))
        let accepted = try TestSupport.openssl(["verify", "-crl_check", "-CAfile", caPath, "-CRLfile", crlPath,
                                                "-attime", atTime, goodPath])
        #expect(accepted.status == 0, "\(accepted.output)")
        // Past nextUpdate openssl reports the CRL as expired.
        let stale = try TestSupport.openssl(["verify", "-crl_check", "-CAfile", caPath, "-CRLfile", crlPath,
                                             "-attime", String(Int(Self.nextUpdate.timeIntervalSince1970) + 60), goodPath])
        #expect(stale.status != 0)
        #expect(stale.output.contains("CRL has expired"))
    }

    @Test("Mutated CRLs parse or throw .invalidCRL, never crash")
    func hostileCRLs() throws {
        let fixture = try Self.fixture()
        var generator = SeededGenerator(seed: 0xc71)
        var refused = 0
        for _ in 0..<1000 {
            var mutated = fixture.crl.der
            let index = Int(generator.next() % UInt64(mutated.count))
            mutated[index] = UInt8(truncatingIfNeeded: generator.next())
            do {
                let crl = try CRL(der: mutated)
                _ = (crl.isSigned(by: fixture.authority.certificate), crl.revokedSerials, crl.crlNumber)
            } catch let error as PKIError {
                #expect(error.code == .invalidCRL)
                refused += 1
            }
        }
        #expect(refused > 0)
    }
}

