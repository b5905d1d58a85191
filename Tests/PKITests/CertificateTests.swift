import Foundation
import Testing
@testable import PKI

@Suite("CA and leaf certificates")
struct CertificateTests {
    static let leafSubject = DistinguishedNameFields(
        commonName: "Dr. Siti Rahayu, M.Kom.", organization: "Universitas Contoh",
        organizationalUnit: "Program Studi Informatika", title: "Ketua Program Studi",
        email: "siti.rahayu@example.ac.id", country: "ID")
    static let verificationURL = "https://verify.example.ac.id/v/AbCdEfGhIjKlMnOpQrStUv/"
    static let crlURL = "https://verify.example.ac.id/crl.crl"

    @Test("A root CA has the RFC 5280 CA profile", arguments: [KeyType.p256, .rsa3072])
    func rootProfile(keyType: KeyType) throws {
        let now = Date(timeIntervalSince1970: 1_760_000_000)
        let (key, ca) = try CertificateAuthority.create(
            subject: DistinguishedNameFields(commonName: "Segel Root", organization: "Universitas Contoh", country: "ID"),
            validityYears: 10, keyType: keyType, now: now)
        #expect(key.keyType == keyType)
        #expect(ca.subject.commonName == "Segel Root")
        #expect(ca.subject.organization == "Universitas Contoh")
        #expect(ca.subject.country == "ID")
        #expect(ca.issuer == ca.subject)
        #expect(ca.isCA)
        #expect(ca.hasKeyUsageExtension)
        #expect(ca.keyUsage == [.keyCertSign, .cRLSign])
        #expect(ca.subjectKeyIdentifier != nil)
        #expect(ca.authorityKeyIdentifier == ca.subjectKeyIdentifier)
        #expect(ca.serialHex.count == 32)
        #expect(ca.notBefore == now.addingTimeInterval(-300))
        // 2025-10-09 + 10 calendar years (two leap days), same time of day (UTC).
        #expect(ca.notAfter == Date(timeIntervalSince1970: 1_760_000_000 + 3652 * 86_400))
        #expect(ca.publicKeyDER == key.publicKeyDER)
        #expect(ca.publicKeyAlgorithm == keyType.displayName)
        #expect(ca.signatureAlgorithm == (keyType == .p256 ? "ecdsa-with-SHA256" : "sha256WithRSAEncryption"))
        #expect(ca.isIssued(by: ca))
        #expect(ca.subjectAltNameURIs.isEmpty)
    }

    @Test("openssl x509 shows the CA extensions as critical",
          .enabled(if: TestSupport.hasOpenSSL, "openssl binary not installed"))
    func rootWithOpenSSL() throws {
        let authority = try TestSupport.authority()
        let directory = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try TestSupport.write(authority.certificate.pem, directory, "ca.pem")
        let text = try TestSupport.openssl(["x509", "-in", path, "-noout", "-text"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("Version: 3 (0x2)"))
        #expect(text.stdout.contains("X509v3 Basic Constraints: critical"))
        #expect(text.stdout.contains("CA:TRUE, pathlen:0"))
        #expect(text.stdout.contains("X509v3 Key Usage: critical"))
        #expect(text.stdout.contains("Certificate Sign, CRL Sign"))
        #expect(text.stdout.contains("X509v3 Subject Key Identifier"))
        #expect(text.stdout.contains("X509v3 Authority Key Identifier"))
        let selfCheck = try TestSupport.openssl(["verify", "-CAfile", path, path])
        #expect(selfCheck.status == 0, "\(selfCheck.output)")
    }

    @Test("A leaf carries the document profile and UTF-8 names", arguments: [KeyType.rsa2048, .p256])
    func leafProfile(keyType: KeyType) throws {
        let authority = try TestSupport.authority()
        let key = try PrivateKey.generate(keyType)
        let now = Date()
        let leaf = try authority.issueLeaf(subject: Self.leafSubject, publicKeyOf: key, uri: Self.verificationURL,
                                           crlURI: Self.crlURL, now: now)
        #expect(leaf.subject.commonName == "Dr. Siti Rahayu, M.Kom.")
        #expect(leaf.subject.title == "Ketua Program Studi")
        #expect(leaf.subject.organizationalUnit == "Program Studi Informatika")
        #expect(leaf.subject.email == "siti.rahayu@example.ac.id")
        #expect(leaf.subject.string ==
            "emailAddress=siti.rahayu@example.ac.id,title=Ketua Program Studi,CN=Dr. Siti Rahayu\\, M.Kom.,OU=Program Studi Informatika,O=Universitas Contoh,C=ID")
        #expect(leaf.issuer == authority.certificate.subject)
        #expect(!leaf.isCA)
        #expect(leaf.keyUsage == [.digitalSignature, .nonRepudiation])
        #expect(leaf.subjectAltNameURIs == [Self.verificationURL])
        #expect(leaf.crlDistributionPointURIs == [Self.crlURL])
        #expect(leaf.authorityKeyIdentifier == authority.certificate.subjectKeyIdentifier)
        #expect(leaf.subjectKeyIdentifier != nil)
        #expect(leaf.publicKeyDER == key.publicKeyDER)
        #expect(leaf.publicKeyPEM == key.publicKeyPEM)
        #expect(leaf.publicKeyAlgorithm == keyType.displayName)
        #expect(leaf.publicKeyType == keyType)
        #expect(leaf.notBefore == Date(timeIntervalSince1970: (now.timeIntervalSince1970 - 300).rounded(.down)))
        #expect(leaf.notAfter == Date(timeIntervalSince1970: (now.timeIntervalSince1970 + 1095 * 86_400).rounded(.down)))
        #expect(leaf.validityContains(now))
        #expect(!leaf.validityContains(now.addingTimeInterval(1096 * 86_400)))
        #expect(!leaf.validityContains(now.addingTimeInterval(-600)))
        #expect(leaf.isIssued(by: authority.certificate))
        #expect(!leaf.isIssued(by: leaf))
        #expect(!authority.certificate.isIssued(by: leaf))
        #expect(leaf.serialHex != authority.certificate.serialHex)
    }

    @Test("A non-ASCII name survives encoding exactly")
    func unicodeNames() throws {
        let authority = try TestSupport.authority()
        let key = try PrivateKey.generate(.p256)
        let leaf = try authority.issueLeaf(subject: DistinguishedNameFields(commonName: "José Müller", organization: "Ünïversität Ωmega"),
                                           publicKeyOf: key, uri: Self.verificationURL)
        #expect(leaf.subject.commonName == "José Müller")
        #expect(leaf.subject.organization == "Ünïversität Ωmega")
        #expect(leaf.subject.string == "CN=José Müller,O=Ünïversität Ωmega")
        #expect(leaf.crlDistributionPointURIs.isEmpty)
    }

    @Test("openssl agrees on fields, fingerprint, serial and chain",
          .enabled(if: TestSupport.hasOpenSSL, "openssl binary not installed"))
    func leafWithOpenSSL() throws {
        let authority = try TestSupport.authority()
        let key = try PrivateKey.generate(.rsa2048)
        let leaf = try authority.issueLeaf(subject: Self.leafSubject, publicKeyOf: key, uri: Self.verificationURL,
                                           crlURI: Self.crlURL)
        let directory = try TestSupport.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let caPath = try TestSupport.write(authority.certificate.pem, directory, "ca.pem")
        let leafPath = try TestSupport.write(leaf.pem, directory, "leaf.pem")

        let verify = try TestSupport.openssl(["verify", "-CAfile", caPath, leafPath])
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.stdout.contains("leaf.pem: OK"))

        let text = try TestSupport.openssl(["x509", "-in", leafPath, "-noout", "-text"])
        #expect(text.stdout.contains("X509v3 Key Usage: critical"))
        #expect(text.stdout.contains("Digital Signature, Non Repudiation"))
        #expect(text.stdout.contains("CA:FALSE"))
        #expect(text.stdout.contains("URI:\(Self.verificationURL)"))
        #expect(text.stdout.contains("X509v3 CRL Distribution Points"))
        #expect(text.stdout.contains("URI:\(Self.crlURL)"))
        #expect(!text.stdout.contains("Extended Key Usage"))
        #expect(text.stdout.contains("Signature Algorithm: ecdsa-with-SHA256"))
        #expect(text.stdout.contains("Public-Key: (2048 bit)"))

        let fingerprint = try TestSupport.openssl(["x509", "-in", leafPath, "-noout", "-fingerprint", "-sha256"])
        #expect(fingerprint.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            .lowercased() == "sha256 fingerprint=\(leaf.sha256Fingerprint)".lowercased())
        #expect(leaf.sha256Fingerprint.count == 32 * 3 - 1)
        #expect(leaf.sha256FingerprintHex == leaf.sha256Fingerprint.replacingOccurrences(of: ":", with: "").lowercased())

        let serial = try TestSupport.openssl(["x509", "-in", leafPath, "-noout", "-serial"])
        #expect(serial.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "serial=\(leaf.serialHex.uppercased())")

        let subject = try TestSupport.openssl(["x509", "-in", leafPath, "-noout", "-subject", "-nameopt", "RFC2253,-esc_msb"])
        #expect(subject.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "subject=\(leaf.subject.string)")

        // A leaf from another CA must not verify against this CA.
        let other = try TestSupport.authority()
        let stranger = try other.issueLeaf(subject: Self.leafSubject, publicKeyOf: key, uri: Self.verificationURL)
        let strangerPath = try TestSupport.write(stranger.pem, directory, "stranger.pem")
        #expect(try TestSupport.openssl(["verify", "-CAfile", caPath, strangerPath]).status != 0)
        #expect(!stranger.isIssued(by: authority.certificate))
    }

    @Test("DER and PEM round trips, bundles, equality")
    func encodings() throws {
        let authority = try TestSupport.authority()
        let key = try PrivateKey.generate(.p256)
        let leaf = try authority.issueLeaf(subject: Self.leafSubject, publicKeyOf: key, uri: Self.verificationURL)
        let fromDER = try Certificate(der: leaf.der)
        let fromPEM = try Certificate(pem: leaf.pem)
        #expect(fromDER == leaf)
        #expect(fromPEM == leaf)
        #expect(Set([leaf, fromDER, fromPEM, authority.certificate]).count == 2)
        #expect(leaf.pem.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        #expect(leaf.pem.split(separator: "\n").dropFirst().dropLast().allSatisfy { $0.count <= 64 })

        let bundle = "junk before\n" + leaf.pem + "\n" + authority.certificate.pem
        #expect(Certificate.allFromPEM(bundle) == [leaf, authority.certificate])
        #expect(Certificate.allFromPEM("no certificates here").isEmpty)
    }

    @Test("Malformed certificates are refused with .invalidCertificate")
    func malformed() throws {
        let authority = try TestSupport.authority()
        var trailing = authority.certificate.der
        trailing.append(0)
        var truncated = authority.certificate.der
        truncated.removeLast()
        for input in [Data(), Data([0x30, 0x00]), Data(repeating: 0xff, count: 300), trailing, truncated] {
            let error = #expect(throws: PKIError.self) { try Certificate(der: input) }
            #expect(error?.code == .invalidCertificate)
        }
        #expect(throws: PKIError.self) { try Certificate(pem: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n") }
    }

    @Test("Bad subjects and URIs are refused before anything is signed")
    func badInputs() throws {
        let authority = try TestSupport.authority()
        let key = try PrivateKey.generate(.p256)
        let cases: [(DistinguishedNameFields, String, PKIError.Code)] = [
            (DistinguishedNameFields(commonName: "A", country: "Indonesia"), Self.verificationURL, .invalidName),
            (DistinguishedNameFields(commonName: "A", country: "id"), Self.verificationURL, .invalidName),
            (DistinguishedNameFields(commonName: ""), Self.verificationURL, .invalidName),
            (DistinguishedNameFields(organization: "No CN"), Self.verificationURL, .invalidName),
            (DistinguishedNameFields(commonName: String(repeating: "x", count: 65)), Self.verificationURL, .invalidName),
            (DistinguishedNameFields(commonName: "A", email: "josé@example.org"), Self.verificationURL, .invalidName),
            (DistinguishedNameFields(commonName: "A\u{7}B"), Self.verificationURL, .invalidName),
            (DistinguishedNameFields(commonName: "A"), "https://example.org/a b", .invalidURI),
            (DistinguishedNameFields(commonName: "A"), "ftp://example.org/", .invalidURI),
            (DistinguishedNameFields(commonName: "A"), "/v/token", .invalidURI),
            (DistinguishedNameFields(commonName: "A"), "https://exämple.org/", .invalidURI),
        ]
        for (subject, uri, code) in cases {
            let error = #expect(throws: PKIError.self) {
                try authority.issueLeaf(subject: subject, publicKeyOf: key, uri: uri)
            }
            #expect(error?.code == code, "\(subject) \(uri)")
        }
        // A URI with commas stays one URI (it is not parsed as OpenSSL config syntax).
        let commaURI = "https://verify.example.ac.id/v/a,b,URI:https://evil.example/"
        let leaf = try authority.issueLeaf(subject: DistinguishedNameFields(commonName: "A"), publicKeyOf: key, uri: commaURI)
        #expect(leaf.subjectAltNameURIs == [commaURI])
    }

    @Test("Validity: leaves end with their CA; an expired CA issues nothing")
    func validityBounds() throws {
        let now = Date()
        let (caKey, caCertificate) = try CertificateAuthority.create(
            subject: DistinguishedNameFields(commonName: "Short CA"), validityYears: 1, keyType: .p256, now: now)
        let authority = try CertificateAuthority(key: caKey, certificate: caCertificate)
        let key = try PrivateKey.generate(.p256)
        let leaf = try authority.issueLeaf(subject: DistinguishedNameFields(commonName: "A"), publicKeyOf: key,
                                           uri: Self.verificationURL, validityDays: 1095, now: now)
        #expect(leaf.notAfter == caCertificate.notAfter)
        let error = #expect(throws: PKIError.self) {
            try authority.issueLeaf(subject: DistinguishedNameFields(commonName: "A"), publicKeyOf: key,
                                    uri: Self.verificationURL, now: now.addingTimeInterval(2 * 366 * 86_400))
        }
        #expect(error?.code == .invalidValidity)
    }

    @Test("A CA needs its own key and a CA certificate")
    func authorityPairing() throws {
        let authority = try TestSupport.authority()
        let otherKey = try PrivateKey.generate(.p256)
        #expect(throws: PKIError.self) { try CertificateAuthority(key: otherKey, certificate: authority.certificate) }
        let leaf = try authority.issueLeaf(subject: DistinguishedNameFields(commonName: "A"), publicKeyOf: otherKey,
                                           uri: Self.verificationURL)
        let error = #expect(throws: PKIError.self) { try CertificateAuthority(key: otherKey, certificate: leaf) }
        #expect(error?.code == .invalidCertificate)
    }

    @Test("Mutated certificates parse or throw .invalidCertificate, never crash")
    func hostileCertificates() throws {
        let authority = try TestSupport.authority()
        let key = try PrivateKey.generate(.p256)
        let leaf = try authority.issueLeaf(subject: Self.leafSubject, publicKeyOf: key, uri: Self.verificationURL,
                                           crlURI: Self.crlURL)
        var generator = SeededGenerator(seed: 0xce27)
        var refused = 0
        for _ in 0..<1000 {
            var mutated = leaf.der
            let index = Int(generator.next() % UInt64(mutated.count))
            mutated[index] = UInt8(truncatingIfNeeded: generator.next())
            do {
                let certificate = try Certificate(der: mutated)
                _ = certificate.isIssued(by: authority.certificate)
                _ = (certificate.subjectAltNameURIs, certificate.crlDistributionPointURIs, certificate.pem)
            } catch let error as PKIError {
                #expect(error.code == .invalidCertificate)
                refused += 1
            }
        }
        #expect(refused > 0)
    }
}

