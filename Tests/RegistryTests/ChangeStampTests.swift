import Foundation
import GRDB
import Testing
@testable import Registry

/// Schema v6: a document signature's change stamp changes whenever a record
/// its published files are made of changes, and only then; a publish reads
/// whole only the documents whose stamp it has not recorded.
@Suite struct ChangeStampTests {
    /// Two signed documents of one requester and one approver, and the stamps read back.
    private func twoDocuments() throws -> (Fixture, first: DocumentSignature, second: DocumentSignature) {
        let fixture = try Fixture()
        let (user, approver) = try fixture.people()
        let first = try fixture.sign(try fixture.approvedRequest("one", user: user, approver: approver), n: 1)
        let second = try fixture.sign(try fixture.approvedRequest("two", user: user, approver: approver), n: 2)
        return (fixture, first, second)
    }

    private func stamps(_ fixture: Fixture) throws -> [Int64: Int64] {
        let queue = try DatabaseQueue(path: fixture.databasePath)
        return try queue.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, change_stamp FROM document_signatures")
                .map { ($0[0] as Int64, $0[1] as Int64) })
        }
    }

    private func execute(_ fixture: Fixture, _ sql: String, _ arguments: StatementArguments = []) throws {
        let queue = try DatabaseQueue(path: fixture.databasePath)
        try queue.write { db in try db.execute(sql: sql, arguments: arguments) }
    }

    /// Which of the two documents got a new stamp from `change`.
    private func restamped(_ fixture: Fixture, by change: () throws -> Void) throws -> Set<Int64> {
        let before = try stamps(fixture)
        try change()
        let after = try stamps(fixture)
        return Set(after.keys.filter { before[$0] != after[$0] })
    }

    @Test func everyTableAPublishedDocumentIsMadeOfRestampsItsDocumentsOnly() throws {
        let (fixture, first, second) = try twoDocuments()
        let initial = try stamps(fixture)
        #expect(initial[first.id] != initial[second.id], "each signing gives its own stamp")
        #expect(!initial.values.contains(0))

        // The document signature itself, through the registry's own operation.
        #expect(try restamped(fixture) { _ = try fixture.registry.invalidate(token: first.token, reason: "Salah cetak") }
                == [first.id])
        // One of its keys.
        #expect(try restamped(fixture) {
            try execute(fixture, "UPDATE digital_signatures SET revoked_reason = 'x' WHERE document_signature_id = ?", [second.id])
        } == [second.id])
        // Its request.
        #expect(try restamped(fixture) {
            try execute(fixture, "UPDATE approval_requests SET document_name = 'Renamed' WHERE id = ?", [first.approvalRequestID])
        } == [first.id])
        // Its approved version.
        #expect(try restamped(fixture) {
            try execute(fixture, """
                UPDATE document_versions SET original_filename = 'renamed.pdf'
                WHERE id = (SELECT approved_version_id FROM approval_requests WHERE id = ?)
                """, [second.approvalRequestID])
        } == [second.id])
        // The requester and the approver both documents name.
        #expect(try restamped(fixture) { try execute(fixture, "UPDATE users SET name = 'Siti A.'") } == [first.id, second.id])
        #expect(try restamped(fixture) { try execute(fixture, "UPDATE approvers SET title = 'Dekan'") } == [first.id, second.id])
        // A table no published file shows: nothing.
        #expect(try restamped(fixture) { try execute(fixture, "UPDATE authority SET name = 'Universitas Lain'") }.isEmpty)
        // A new key for a document (a signer added by hand) and a deleted one.
        #expect(try restamped(fixture) {
            try execute(fixture, """
                INSERT INTO digital_signatures (signature_id, document_signature_id, user_id, public_key, certificate,
                    serial_hex, valid_from, valid_until, created_at, updated_at, signer_position)
                SELECT 'SIG-EXTRA', document_signature_id, user_id, public_key, certificate, 'ffee01', valid_from,
                    valid_until, created_at, updated_at, 2
                FROM digital_signatures WHERE document_signature_id = ?
                """, [first.id])
        } == [first.id])
        #expect(try restamped(fixture) {
            try execute(fixture, "DELETE FROM digital_signatures WHERE signature_id = 'SIG-EXTRA'")
        } == [first.id])
        // A row replaced in place (same id), as the sqlite3 shell (foreign keys off) lets
        // anyone do: delete triggers do not fire for REPLACE, the insert trigger does.
        #expect(try restamped(fixture) {
            try fixture.sqlite("""
                INSERT OR REPLACE INTO users (id, name, email, nim, created_at, updated_at)
                SELECT id, 'Siti Pengganti', email, nim, created_at, updated_at FROM users
                """)
        } == [first.id, second.id])
        #expect(try restamped(fixture) {
            try fixture.sqlite("INSERT OR REPLACE INTO approval_requests SELECT * FROM approval_requests WHERE id = \(second.approvalRequestID)")
        } == [second.id])
        // An update that writes a stamp itself (say, rows copied back from a backup) still gets a new one.
        let old = try stamps(fixture)[first.id]!
        try execute(fixture, "UPDATE document_signatures SET change_stamp = ?, invalidated_reason = 'x' WHERE id = ?",
                    [old, first.id])
        #expect(try stamps(fixture)[first.id] != old)
        // A connection that turns recursive triggers on still writes: the stamping fires once, not for ever.
        #expect(try restamped(fixture) {
            try fixture.sqlite("""
                PRAGMA recursive_triggers = ON;
                UPDATE document_signatures SET invalidated_reason = 'y' WHERE id = \(first.id);
                UPDATE digital_signatures SET revoked_reason = 'y' WHERE document_signature_id = \(second.id);
                """)
        } == [first.id, second.id])
    }

    @Test func aStampIsNewEvenWhenTheSameChangeIsMadeTwice() throws {
        let (fixture, first, _) = try twoDocuments()
        var seen: Set<Int64> = [try stamps(fixture)[first.id]!]
        for name in ["A", "B", "A", "B"] {
            try execute(fixture, "UPDATE approval_requests SET document_name = ? WHERE id = ?", [name, first.approvalRequestID])
            let stamp = try stamps(fixture)[first.id]!
            #expect(!seen.contains(stamp), "a stamp came back: \(stamp)")
            seen.insert(stamp)
        }
    }

    @Test func summariesAreWhatTheDocumentsReadWholeSay() throws {
        let (fixture, first, second) = try twoDocuments()
        _ = try fixture.registry.invalidate(token: first.token, reason: "Salah cetak")
        try execute(fixture, "UPDATE approval_requests SET document_type = '' WHERE id = ?", [second.approvalRequestID])
        let snapshot = try fixture.registry.publishedSnapshot()
        let summaries = try snapshot.summaries()
        let whole = try snapshot.documents(ids: nil)
        #expect(summaries.count == 2)
        #expect(whole.count == 2)
        for (summary, document) in zip(summaries, whole) {
            #expect(document.summary(changeStamp: summary.changeStamp) == summary)
        }
        #expect(summaries.map(\.status) == [.invalidated, .valid])
        #expect(summaries[1].documentType == nil, "an empty type counts as none, as on the page")
        // Read by id, from the same snapshot.
        let one = try snapshot.documents(ids: [second.id])
        #expect(one.map(\.signature.id) == [second.id])
        #expect(one == [whole[1]])
    }

    /// "Published" has one definition (`DocumentSignature.publishedCondition`):
    /// a signature whose signed file's time was lost, or whose signers have
    /// not all signed, is in none of the lists — summaries, documents read
    /// whole, all or by id, one by token — and `segel stats` does not count it.
    @Test func oneRuleSaysWhichDocumentsArePublished() throws {
        let (fixture, first, second) = try twoDocuments()
        try execute(fixture, "UPDATE document_signatures SET signed_at = NULL WHERE id = ?", [first.id])
        func check(published: [DocumentSignature]) throws {
            let ids = published.map(\.id)
            let snapshot = try fixture.registry.publishedSnapshot()
            #expect(try snapshot.summaries().map(\.id) == ids)
            #expect(try snapshot.documents(ids: nil).map(\.signature.id) == ids)
            #expect(try snapshot.documents(ids: [first.id, second.id]).map(\.signature.id) == ids)
            #expect(try fixture.registry.allPublishedDocuments().map(\.signature.id) == ids)
            #expect(try fixture.registry.statistics().documentsByStatus
                    == ["valid": ids.count, "invalidated": 0, "revoked": 0])
            for signature in [first, second] {
                let found = (try? fixture.registry.publishedDocument(token: signature.token)) != nil
                #expect(found == ids.contains(signature.id), "\(signature.token)")
            }
        }
        try check(published: [second])
        try execute(fixture, "UPDATE document_signatures SET signature_status = 'pending' WHERE id = ?", [second.id])
        try check(published: [])
    }

    @Test func aSnapshotKeepsItsStateWhileTheRegistryChanges() throws {
        let (fixture, first, _) = try twoDocuments()
        let snapshot = try fixture.registry.publishedSnapshot()
        let before = try snapshot.summaries()
        _ = try fixture.registry.invalidate(token: first.token, reason: "Salah cetak")
        #expect(try snapshot.summaries() == before)
        #expect(try snapshot.documents(ids: [first.id]).first?.signature.publicStatus == .valid)
        #expect(try fixture.registry.publishedSnapshot().summaries().first?.status == .invalidated)
    }
}
