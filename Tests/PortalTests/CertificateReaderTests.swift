import Foundation
import PKI
@testable import Portal
import XCTest

/// `CertificateReader` gives exactly what PKI's `Certificate` (libcrypto)
/// reads, whether it parsed the certificate or took the texts of an earlier
/// one of the same kind and read the rest from the DER.
final class CertificateReaderTests: XCTestCase {
    func testReadsWhatLibcryptoReadsForEveryKindOfCertificate() throws {
        let root = try CertificateAuthority.create(
            subject: DistinguishedNameFields(commonName: "Universitas Contoh Document Signing CA", organization: "Universitas Contoh"),
            validityYears: 60, keyType: .p256)
        let ca = try CertificateAuthority(key: root.key, certificate: root.certificate)
        let subjects = [
            DistinguishedNameFields(commonName: "Dr. Siti Rahayu, M.Kom.", organization: "Universitas Contoh",
                                    title: "Dekan", email: "siti@example.ac.id"),
            DistinguishedNameFields(commonName: #"José Müller + "Söhne" <x>;#"#, organization: " #Contoh ", country: "ID"),
        ]
        var pems: [String] = []
        for subject in subjects {
            for keyType in [KeyType.p256, .rsa2048] {
                // 30 days ends in UTCTime, 20,000 days (after 2049) in GeneralizedTime.
                for days in [30, 20_000] {
                    for _ in 0..<2 {
                        let key = try PrivateKey.generate(keyType)
                        let leaf = try ca.issueLeaf(subject: subject, publicKeyOf: key,
                                                    uri: "https://verify.example.ac.id/v/\(UUID().uuidString)/",
                                                    validityDays: days)
                        pems.append(leaf.pem)
                    }
                }
            }
        }
        pems.append(root.certificate.pem)
        let reader = CertificateReader()
        for pem in pems + pems {
            let expected = CertificateFacts(try Certificate(pem: pem))
            XCTAssertEqual(try reader.read(pem: pem), expected)
            XCTAssertEqual(expected.pem, try Certificate(pem: pem).pem)
            XCTAssertEqual(expected.sha256FingerprintHex, try Certificate(pem: pem).sha256FingerprintHex)
            XCTAssertNotNil(CertificateOutline(der: expected.der), "the demo's kinds of certificate take the fast path")
        }
    }

    func testOnlyPlainPEMIsDecodedHere() throws {
        let root = try CertificateAuthority.create(subject: DistinguishedNameFields(commonName: "CA"), keyType: .p256)
        let pem = root.certificate.pem
        XCTAssertEqual(CertificateReader.der(pem: pem), root.certificate.der)
        XCTAssertEqual(CertificateReader.der(pem: pem + "\n\n"), root.certificate.der)
        XCTAssertNil(CertificateReader.der(pem: "junk\n" + pem))
        XCTAssertNil(CertificateReader.der(pem: pem + pem), "a bundle is left to libcrypto")
        XCTAssertNil(CertificateReader.der(pem: pem.replacingOccurrences(of: "CERTIFICATE-----\n", with: "CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\n")))
        // libcrypto still reads what the fast path leaves alone.
        XCTAssertEqual(try CertificateReader().read(pem: "junk\n" + pem), CertificateFacts(root.certificate))
        XCTAssertThrowsError(try CertificateReader().read(pem: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))
    }
}
