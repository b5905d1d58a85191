import Foundation
import GRDB
import Testing
@testable import Registry

@Suite struct AuditChainTests {
    /// A registry with 11 audit rows from a real lifecycle.
    private func populated() throws -> Fixture {
        let fixture = try Fixture()
        let (user, approver) = try fixture.people()
        let request = try fixture.approvedRequest(user: user, approver: approver)
        let signature = try fixture.sign(request, n: 1)
        try fixture.registry.markVerified(token: signature.token)
        try fixture.registry.invalidate(token: signature.token, reason: "test")
        return fixture
    }

    @Test func chainLinksEveryRowAndVerifies() throws {
        let fixture = try populated()
        let rows = try fixture.registry.audit()
        #expect(rows.count == 11)
        #expect(rows.map(\.id) == Array(1...11))
        #expect(rows.first?.prevHash == String(repeating: "0", count: 64))
        for (previous, row) in zip(rows, rows.dropFirst()) {
            #expect(row.prevHash == previous.rowHash)
        }
        #expect(Set(rows.map(\.rowHash)).count == rows.count)
        let report = try fixture.registry.verifyAuditChain()
        #expect(report.isIntact)
        #expect(report.rowsChecked == 11)
        #expect(report.headHash == rows.last?.rowHash)
        #expect(report.message == "the audit log's 11 rows are intact")
    }

    @Test func rowHashIsRecomputableFromTheStoredRow() throws {
        let fixture = try populated()
        let queue = try DatabaseQueue(path: fixture.databasePath)
        try queue.read { db in
            for row in try Row.fetchAll(db, sql: "SELECT * FROM signature_audit_logs") {
                var values: [String: DatabaseValue] = [:]
                for column in AuditChain.hashedColumns { values[column] = row[column] }
                #expect(try AuditChain.hash(of: values) == row["row_hash"])
            }
        }
    }

    @Test func editingARowWithTheSqliteShellIsDetected() throws {
        let fixture = try populated()
        try fixture.sqlite("UPDATE signature_audit_logs SET description='x' WHERE id=3")
        let report = try fixture.registry.verifyAuditChain()
        #expect(!report.isIntact)
        #expect(report.problem == .contentEdited)
        #expect(report.firstBadRowID == 3)
        #expect(report.message == "audit row 3 was altered: its content no longer matches its row_hash")
    }

    @Test func deletingARowIsDetected() throws {
        let fixture = try populated()
        try fixture.sqlite("DELETE FROM signature_audit_logs WHERE id=3")
        let report = try fixture.registry.verifyAuditChain()
        #expect(report.problem == .rowDeleted)
        #expect(report.firstBadRowID == 3)
        #expect(report.message == "audit row 3 is missing: deleted from the log (row 4 comes right after row 2)")
    }

    @Test func deletingTheFirstOrLastRowsIsDetected() throws {
        let first = try populated()
        try first.sqlite("DELETE FROM signature_audit_logs WHERE id IN (1, 2)")
        let head = try first.registry.verifyAuditChain()
        #expect(head.problem == .rowDeleted)
        #expect(head.firstBadRowID == 1)
        #expect(head.message == "audit rows 1–2 are missing: deleted from the log (row 3 comes right after the start of the log)")

        let last = try populated()
        try last.sqlite("DELETE FROM signature_audit_logs WHERE id >= 10")
        let tail = try last.registry.verifyAuditChain()
        #expect(tail.problem == .rowDeleted)
        #expect(tail.firstBadRowID == 10)
        #expect(tail.message == "audit rows 10–11 are missing: deleted from the end of the log")

        // New rows after a tail deletion do not hide it: the ids keep the gap.
        _ = try last.registry.addUser(name: "Late", email: "late@example.ac.id")
        let after = try last.registry.verifyAuditChain()
        #expect(after.problem == .rowDeleted)
        #expect(after.firstBadRowID == 10)
        #expect(try last.registry.audit().last?.id == 12)
    }

    @Test func rewritingARowWithAFreshHashBreaksTheChain() throws {
        let fixture = try populated()
        // A forger who knows the algorithm rewrites row 5 and recomputes its hash.
        let queue = try DatabaseQueue(path: fixture.databasePath)
        try queue.write { db in
            try db.execute(sql: "UPDATE signature_audit_logs SET description = 'forged' WHERE id = 5")
            let row = try Row.fetchOne(db, sql: "SELECT * FROM signature_audit_logs WHERE id = 5")!
            var values: [String: DatabaseValue] = [:]
            for column in AuditChain.hashedColumns { values[column] = row[column] }
            try db.execute(sql: "UPDATE signature_audit_logs SET row_hash = ? WHERE id = 5",
                           arguments: [try AuditChain.hash(of: values)])
        }
        let report = try fixture.registry.verifyAuditChain()
        #expect(report.problem == .chainBroken)
        #expect(report.firstBadRowID == 6)
        #expect(report.message == "audit row 6 does not chain to the row before it: its prev_hash is not row 5's row_hash")
    }

    @Test func swappingValuesBetweenColumnsChangesTheHash() throws {
        // Length-prefixed, typed values: moving text between columns or turning
        // NULL into "" must not produce the same canonical form.
        var values: [String: DatabaseValue] = [:]
        for column in AuditChain.hashedColumns { values[column] = .null }
        values["id"] = 1.databaseValue
        values["prev_hash"] = AuditChain.genesis.databaseValue
        values["status_from"] = "a".databaseValue
        values["status_to"] = "b".databaseValue
        let original = try AuditChain.hash(of: values)
        var swapped = values
        swapped["status_from"] = "b".databaseValue
        swapped["status_to"] = "a".databaseValue
        var empty = values
        empty["metadata"] = "".databaseValue
        var textID = values
        textID["id"] = "1".databaseValue
        #expect(try AuditChain.hash(of: swapped) != original)
        #expect(try AuditChain.hash(of: empty) != original)
        #expect(try AuditChain.hash(of: textID) != original)
    }

    @Test func emptyLogIsIntact() throws {
        let fixture = try Fixture()
        let report = try fixture.registry.verifyAuditChain()
        #expect(report.isIntact)
        #expect(report.rowsChecked == 0)
        #expect(report.headHash == nil)
        #expect(try fixture.registry.lastChangeAt() == nil)
    }
}
