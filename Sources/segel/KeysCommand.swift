import ArgumentParser
import Authority
import Foundation
import Registry

struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Per-document keys and certificates: list, show, revoke, export.",
        subcommands: [List.self, Show.self, Revoke.self, Export.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List keys.",
            discussion: "--status expiring lists active keys whose certificate ends within 30 days; those within 7 are flagged.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "active, expired, revoked or expiring.") var status: KeyFilter?

        func run() async throws {
            let now = Date()
            let keys = try global.openAuthority().registry.keys(status, now: now)
            if global.json { try Console.json(keys.map(KeyView.init)); return }
            if keys.isEmpty { Console.note("No keys.") }
            for k in keys {
                let days = Int(k.validUntil.timeIntervalSince(now) / 86_400)
                let flag = k.status == .active && days <= 7 ? "\t⚠ expires in \(max(days, 0)) day(s)" : ""
                Console.out("\(k.signatureID)\t\(k.status.rawValue)\t\(k.algorithm) \(k.keyLength)\tuntil \(Timestamp.string(from: k.validUntil))\(flag)")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one key and its certificate.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The SIG-… id.") var signatureID: String

        func run() async throws {
            let k = try global.openAuthority().registry.key(signatureID: signatureID)
            if global.json { try Console.json(KeyView(k)); return }
            Console.out("\(k.signatureID)  \(k.status.rawValue)")
            Console.out("  algorithm   \(k.algorithm) \(k.keyLength)")
            Console.out("  serial      \(k.serialHex)")
            Console.out("  valid       \(Timestamp.string(from: k.validFrom)) – \(Timestamp.string(from: k.validUntil))")
            Console.out("  private key \(k.privateKey == nil ? "discarded after signing" : "retained, encrypted")")
            if let reason = k.revokedReason, let at = k.revokedAt { Console.out("  revoked     \(Timestamp.string(from: at)): \(reason)") }
            Console.out(k.certificate)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a key: its certificate goes on the next CRL and its document stops verifying.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The SIG-… id.") var signatureID: String
        @Option(help: "Why the key is revoked.") var reason: String

        func run() async throws {
            let k = try global.openAuthority().registry.revokeKey(signatureID: signatureID, reason: reason)
            if global.json { try Console.json(KeyView(k)) } else {
                Console.note("Key \(k.signatureID) revoked; run `segel publish` to update the portal and the CRL.")
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a key's certificate and public key (PEM); private keys are never exported.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The SIG-… id.") var signatureID: String

        func run() async throws {
            let k = try global.openAuthority().registry.key(signatureID: signatureID)
            if global.json {
                try Console.json(["signature_id": k.signatureID, "certificate": k.certificate, "public_key": k.publicKey])
            } else {
                Console.out(k.certificate.trimmingCharacters(in: .newlines))
                Console.out(k.publicKey.trimmingCharacters(in: .newlines))
            }
        }
    }
}

extension KeyFilter: ExpressibleByArgument {}

/// A key as `keys --json` shows it: everything but the (encrypted) private key.
struct KeyView: Encodable {
    let key: DigitalSignature

    init(_ key: DigitalSignature) { self.key = key }

    enum CodingKeys: String, CodingKey {
        case signatureID = "signature_id", status, algorithm, keyLength = "key_length", serial = "serial_hex"
        case validFrom = "valid_from", validUntil = "valid_until", revokedReason = "revoked_reason"
        case revokedAt = "revoked_at", certificate, publicKey = "public_key", privateKeyRetained = "private_key_retained"
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(key.signatureID, forKey: .signatureID)
        try c.encode(key.status.rawValue, forKey: .status)
        try c.encode(key.algorithm, forKey: .algorithm)
        try c.encode(key.keyLength, forKey: .keyLength)
        try c.encode(key.serialHex, forKey: .serial)
        try c.encode(key.validFrom, forKey: .validFrom)
        try c.encode(key.validUntil, forKey: .validUntil)
        try c.encodeIfPresent(key.revokedReason, forKey: .revokedReason)
        try c.encodeIfPresent(key.revokedAt, forKey: .revokedAt)
        try c.encode(key.certificate, forKey: .certificate)
        try c.encode(key.publicKey, forKey: .publicKey)
        try c.encode(key.privateKey != nil, forKey: .privateKeyRetained)
    }
}
