import Foundation
import Hashing
import Record
import Testing
@testable import Registry

/// Issue 14: a document's public status is decided by one rule
/// (`PublicStatus.after`), stored when the authority acts, and filled for
/// registries written before it was stored.
@Suite("Public status")
struct PublicStatusTests {
    @Test("The rule: the first act names the status, later acts keep it",
          arguments: [
              ([], PublicStatus.valid),
              ([.invalidateDocument], .invalidated),
              ([.revokeKey], .revoked),
              ([.invalidateDocument, .revokeKey], .invalidated),
              ([.revokeKey, .invalidateDocument], .revoked),
              ([.revokeKey, .revokeKey], .revoked),
          ] as [([PublicStatus.Act], PublicStatus)])
    func rule(acts: [PublicStatus.Act], expected: PublicStatus) {
        #expect(acts.reduce(PublicStatus.valid) { $0.after($1) } == expected)
    }

    /// Every combination the registry can reach, with what `segel stats` and
    /// the portal count for the key: invalidated, key revoked, both orders
    /// (the second act refused, since each act already did the other), an
    /// expired certificate (still valid: signed while it was valid), and an
    /// expired certificate whose document is then invalidated.
    @Test("Stored by invalidate and keys revoke, counted the same way")
    func storedAndCounted() throws {
        let fixture = try Fixture()
        let (user, approver) = try fixture.people()
        var signatures: [String: DocumentSignature] = [:]
        for (n, name) in ["valid", "invalidated", "revoked", "revoked-then-invalidate", "invalidated-then-revoke",
                          "expired", "expired-then-invalidated"].enumerated() {
            let request = try fixture.approvedRequest(name, user: user, approver: approver)
            signatures[name] = try fixture.sign(request, n: n + 1, validDays: name.hasPrefix("expired") ? 1 : 365)
        }
        func key(_ name: String) throws -> DigitalSignature {
            try fixture.registry.keys().first { $0.documentSignatureID == signatures[name]!.id }!
        }
        try fixture.registry.invalidate(token: signatures["invalidated"]!.token, reason: "mistake")
        try fixture.registry.revokeKey(signatureID: try key("revoked").signatureID, reason: "exposed")
        try fixture.registry.revokeKey(signatureID: try key("revoked-then-invalidate").signatureID, reason: "stolen")
        #expect(throws: RegistryError.self) {
            try fixture.registry.invalidate(token: signatures["revoked-then-invalidate"]!.token, reason: "again")
        }
        try fixture.registry.invalidate(token: signatures["invalidated-then-revoke"]!.token, reason: "withdrawn")
        #expect(throws: RegistryError.self) {
            try fixture.registry.revokeKey(signatureID: try key("invalidated-then-revoke").signatureID, reason: "again")
        }
        _ = try fixture.registry.expireKeys(now: Date(timeIntervalSince1970: 1_750_000_000 + 3 * 86_400))
        try fixture.registry.invalidate(token: signatures["expired-then-invalidated"]!.token, reason: "late")

        let expected: [String: (PublicStatus, String?, KeyCountCategory)] = [
            "valid": (.valid, nil, .active),
            "invalidated": (.invalidated, "mistake", .revokedWithDocument),
            "revoked": (.revoked, "exposed", .revoked),
            "revoked-then-invalidate": (.revoked, "stolen", .revoked),
            "invalidated-then-revoke": (.invalidated, "withdrawn", .revokedWithDocument),
            "expired": (.valid, nil, .expired),
            "expired-then-invalidated": (.invalidated, "late", .revokedWithDocument),
        ]
        var documents: [String: Int] = [:], keys: [String: Int] = [:]
        for (name, (status, reason, category)) in expected {
            let stored = try fixture.registry.signature(token: signatures[name]!.token)
            #expect(stored.publicStatus == status, "\(name)")
            #expect(stored.publicStatusReason == reason, "\(name)")
            #expect((stored.publicStatusAt != nil) == (status != .valid), "\(name)")
            #expect(KeyCountCategory(key: try key(name).status, document: stored.publicStatus) == category, "\(name)")
            documents[status.rawValue, default: 0] += 1
            keys[category.rawValue, default: 0] += 1
        }
        let stats = try fixture.registry.statistics()
        #expect(stats.documentsByStatus == documents)
        #expect(stats.keysByStatus.filter { $0.value > 0 } == keys)
    }

    @Test("A registry written before the status was stored is filled from the audit log's order")
    func migration() throws {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/home-statuses").standardizedFileURL
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("segel-migration-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: home)
        defer { try? FileManager.default.removeItem(at: home) }
        func ids(_ name: String) throws -> (token: String, key: String) {
            let fields = try String(contentsOf: home.appendingPathComponent("\(name).ids"), encoding: .utf8)
                .split(whereSeparator: \.isWhitespace).map(String.init)
            return (fields[0], fields[1])
        }
        let registry = try Registry(home: home)
        let expected: [String: (PublicStatus, String?)] = [
            "valid": (.valid, nil), "invalidated": (.invalidated, "Issued by mistake"), "revoked": (.revoked, "Key exposed"),
        ]
        for (name, (status, reason)) in expected {
            let stored = try registry.signature(token: try ids(name).token)
            #expect(stored.publicStatus == status, "\(name)")
            #expect(stored.publicStatusReason == reason, "\(name)")
            #expect((stored.publicStatusAt != nil) == (status != .valid), "\(name)")
        }
        let stats = try registry.statistics()
        #expect(stats.documentsByStatus == ["valid": 1, "invalidated": 1, "revoked": 1])
        #expect(stats.keysByStatus == ["active": 1, "expired": 0, "revoked": 1, "revoked_with_document": 1])
        // The audit chain still verifies after the migration (it changed no audit row).
        #expect(try registry.verifyAuditChain().isIntact)
    }

    @Test("Published times are UTC to the second, truncated like the registry's millisecond text")
    func publishedTimes() {
        let date = Date(timeIntervalSince1970: 1_750_000_000.999)
        #expect(ISOTime.string(from: date) == "2025-06-15T15:06:40Z")
        #expect(ISOTime.string(from: date) == String(Timestamp.string(from: date).prefix(19)) + "Z")
    }
}
