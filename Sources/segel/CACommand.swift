import ArgumentParser
import Authority
import Foundation
import PKI
import Record

struct CACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ca",
        abstract: "Show or renew the authority's CA.",
        subcommands: [CAShowCommand.self, CARenewCommand.self])
}

struct CAShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "List every CA the authority has used, the current one last.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let authority = try global.openAuthority()
        let current = authority.settings.caGeneration
        let rows = try authority.caCertificates().map { generation, certificate in
            CARow(generation: generation, subject: certificate.subject.string,
                  notBefore: ISOTime.string(from: certificate.notBefore), notAfter: ISOTime.string(from: certificate.notAfter),
                  fingerprintSHA256: certificate.sha256Fingerprint, current: generation == current)
        }
        if global.json {
            for row in rows { try Console.json(row) }
        } else {
            for row in rows {
                Console.out("\(row.generation)\t\(row.current ? "current" : "earlier")\t\(row.notBefore) – \(row.notAfter)\t\(row.subject)")
            }
        }
    }

    struct CARow: Codable {
        var generation: Int
        var subject: String
        var notBefore: String
        var notAfter: String
        var fingerprintSHA256: String
        var current: Bool

        enum CodingKeys: String, CodingKey {
            case generation, subject, current
            case notBefore = "not_before"
            case notAfter = "not_after"
            case fingerprintSHA256 = "fingerprint_sha256"
        }
    }
}

struct CARenewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renew",
        abstract: "Issue a successor CA; new documents chain to it, earlier ones keep verifying.",
        discussion: """
        Creates a new root CA of the same key type (valid 10 years) and its own time-stamping \
        certificate under <home>/ca/<generation>/, encrypted under the same passphrase, and makes \
        it the CA that signs from now on. Every earlier CA stays trusted: the next `segel publish` \
        lists all of them in trust.json and cas.pem and keeps publishing each one's CRL \
        (ca-<g>.crt and crl-<g>.crl for generation g ≥ 2; the first keeps ca.crt and crl.crl). \
        Renew well before the current CA expires: certificates it issues never outlive it.
        """)

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let authority = try global.openAuthority()
        let previous = try authority.caCertificate()
        let renewed = try authority.renewCA(passphrase: try global.passphrase())
        if global.json {
            try Console.json(["generation": String(renewed.generation), "subject": renewed.certificate.subject.string,
                              "ca_certificate": authority.home.ca(generation: renewed.generation).certificate.path,
                              "fingerprint_sha256": renewed.certificate.sha256Fingerprint])
        } else {
            Console.note("CA generation \(renewed.generation) now signs new documents: \(renewed.certificate.subject.string)")
            Console.note("Fingerprint (SHA-256): \(renewed.certificate.sha256Fingerprint)")
            Console.note("The previous CA (valid until \(ISOTime.readable(previous.notAfter))) stays trusted; run `segel publish` to list both.")
        }
    }
}
