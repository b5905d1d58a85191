import Foundation
import Testing
@testable import PKI

/// Prints the per-document signing cost floor (key generation, leaf issue, CMS
/// signature). Timings are reported, not asserted: the machine is shared. Run
/// alone for clean numbers: `swift test --filter PerformanceReport`.
@Suite("Performance report", .serialized)
struct PerformanceReport {
    @Test("Per-document costs")
    func perDocumentCosts() throws {
        let clock = ContinuousClock()
        func average(_ rounds: Int, _ body: () throws -> Void) rethrows -> Duration {
            let elapsed = try clock.measure { for _ in 0..<rounds { try body() } }
            return elapsed / rounds
        }
        var lines: [String] = []
        for type in KeyType.allCases {
            let rounds = type == .rsa3072 ? 4 : 12
            lines.append("generate \(type.rawValue): \(try average(rounds) { _ = try PrivateKey.generate(type) })")
        }
        let authority = try TestSupport.authority(.rsa3072)
        let key = try PrivateKey.generate(.rsa2048)
        var leaf: Certificate?
        let issue = try average(20) {
            leaf = try authority.issueLeaf(subject: DistinguishedNameFields(commonName: "Bench"), publicKeyOf: key,
                                           uri: "https://verify.example.ac.id/v/x/")
        }
        lines.append("issue leaf (RSA-3072 CA): \(issue)")
        let parts = [Data(count: 200_000), Data(count: 50_000)]
        let certificate = try #require(leaf)
        var signature = Data()
        let sign = try average(20) {
            signature = try CMSSigner.signDetached(content: parts, key: key, certificate: certificate,
                                                   chain: [authority.certificate])
        }
        lines.append("CMS sign (RSA-2048, 250 kB): \(sign)")
        lines.append("CMS size (RSA-2048 leaf + RSA-3072 CA): \(signature.count) bytes")
        lines.append("CMS parse + verify: \(try average(20) { _ = try CMSSignedData(der: signature).verifySignature() })")
        let pem = try key.encryptedPKCS8PEM(passphrase: "p")
        let decrypt = try average(3) { _ = try PrivateKey(encryptedPKCS8PEM: pem, passphrase: "p") }
        lines.append("PKCS#8 decrypt (600k PBKDF2): \(decrypt)")
        print("PKI performance:\n  " + lines.joined(separator: "\n  "))
        #expect(lines.count == 8)
    }
}
