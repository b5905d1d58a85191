import Foundation
import GRDB
import Testing
@testable import Registry

@Suite struct SchemaTests {
    @Test func migrationCreatesSeedTablesColumnsAndIndexes() throws {
        let fixture = try Fixture()
        let queue = try DatabaseQueue(path: fixture.databasePath)
        try queue.read { db in
            let tables = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
            for table in ["authority", "users", "approvers", "approval_requests", "document_versions",
                          "document_signatures", "digital_signatures", "signature_audit_logs",
                          "signature_verification_logs", "grdb_migrations"] {
                #expect(tables.contains(table), "missing table \(table)")
            }
            let requestColumns = Set(try db.columns(in: "approval_requests").map(\.name))
            for column in ["user_id", "document_name", "document_type", "notes", "status", "approved_at",
                           "approved_by", "rejected_at", "rejected_by", "sign_approved_at", "sign_approved_by",
                           "approval_notes", "rejection_reason", "current_version_id", "approved_version_id",
                           "signed_document_path", "workflow_metadata", "identity_key", "created_at", "updated_at"] {
                #expect(requestColumns.contains(column), "approval_requests lacks \(column)")
            }
            let keyColumns = try db.columns(in: "digital_signatures")
            #expect(keyColumns.first { $0.name == "private_key" }?.isNotNull == false)
            #expect(keyColumns.first { $0.name == "public_key" }?.isNotNull == true)
            for table in ["users", "approvers"] {
                let columns = Set(try db.columns(in: table).map(\.name))
                #expect(columns.isDisjoint(with: ["password", "remember_token", "email_verified_at"]))
            }
            let indexes = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index'"))
            for index in ["approval_requests_status_created_idx", "approval_requests_user_status_idx",
                          "document_signatures_hash_status_idx", "digital_signatures_validity_idx",
                          "svl_docsig_verified_idx", "svl_method_verified_idx", "signature_audit_logs_action_idx"] {
                #expect(indexes.contains(index), "missing index \(index)")
            }
            #expect(try db.indexes(on: "document_versions").contains {
                $0.isUnique && $0.columns == ["approval_request_id", "version"]
            })
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            #expect(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") == ["v1", "v2", "v3", "v4", "v5", "v6"])
            let signatureColumns = try db.columns(in: "document_signatures")
            // v6: a change stamp per document, kept by triggers on every table a published document is made of.
            #expect(signatureColumns.first { $0.name == "change_stamp" }?.isNotNull == true)
            let triggers = Set(try String.fetchAll(db, sql: "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'"))
            #expect(triggers == ["document_signatures", "digital_signatures", "approval_requests", "users", "approvers",
                                 "document_versions"])
            // The signature's update trigger names every column but the stamp itself.
            let trigger = try #require(try String.fetchOne(db, sql: """
                SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'document_signatures_stamp_update'
                """))
            let named = trigger.components(separatedBy: "UPDATE OF")[1].components(separatedBy: " ON ")[0]
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            #expect(Set(named) == Set(signatureColumns.map(\.name)).subtracting(["change_stamp"]))
            #expect(signatureColumns.first { $0.name == "qr_modules" }?.isNotNull == false)
            // v5: one key per signer, in order; one live signature per request.
            for table in ["request_signers", "signer_groups", "signer_group_members"] {
                #expect(tables.contains(table), "missing table \(table)")
            }
            let keyIndexes = try db.indexes(on: "digital_signatures")
            #expect(!keyIndexes.contains { $0.isUnique && $0.columns == ["document_signature_id"] })
            #expect(keyIndexes.contains { $0.isUnique && $0.columns == ["document_signature_id", "signer_position"] })
            #expect(keyIndexes.contains { $0.isUnique && $0.columns == ["serial_hex"] })
            let signatureIndexes = try db.indexes(on: "document_signatures")
            #expect(!signatureIndexes.contains { $0.isUnique && $0.columns == ["approval_request_id"] && $0.name.hasPrefix("sqlite_autoindex") })
            #expect(indexes.contains("document_signatures_live_request"))
            #expect(indexes.contains("digital_signatures_without_summary"))
        }
    }

    @Test func aRegistryOfTheFirstSchemaIsMigratedInPlace() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("segel-v1-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        // What segel 0.1/0.2 left: the v1 tables, recorded as migrated.
        let queue = try DatabaseQueue(path: home.appendingPathComponent("registry.sqlite").path)
        try queue.write { db in
            try db.execute(sql: RegistrySchema.v1)
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v1')")
        }
        try queue.close()
        let registry = try Registry(home: home)
        try registry.initialize(authority: AuthoritySetup(name: "U", baseURL: "https://verify.example.ac.id", siteDir: "site"))
        let reopened = try DatabaseQueue(path: home.appendingPathComponent("registry.sqlite").path)
        try reopened.read { db in
            #expect(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") == ["v1", "v2", "v3", "v4", "v5", "v6"])
            let columns = try db.columns(in: "document_signatures").map(\.name)
            #expect(columns.contains("qr_modules"))
        }
    }

    @Test func commitsAreFlushedAtEveryTransaction() throws {
        let fixture = try Fixture()
        // WAL with synchronous = FULL (2): a commit survives a power cut, not just a crash.
        #expect(try fixture.registry.pool.writeWithoutTransaction { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
        #expect(try fixture.registry.pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)
        #expect(try fixture.secondRegistry().pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)
    }

    @Test func foreignKeysAndChecksAreEnforced() throws {
        let fixture = try Fixture()
        let foreignKeys = try fixture.registry.pool.write { db in
            try Int.fetchOne(db, sql: "PRAGMA foreign_keys")
        }
        #expect(foreignKeys == 1)
        // A request for a user that does not exist is refused by SQLite itself.
        let insert = """
            INSERT INTO approval_requests (id, user_id, document_name, status, created_at, updated_at)
            VALUES (1, 99, 'x', 'pending', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')
            """
        #expect(throws: DatabaseError.self) { try fixture.registry.pool.write { try $0.execute(sql: insert) } }
        let (user, _) = try fixture.people()
        let badStatus = """
            INSERT INTO approval_requests (id, user_id, document_name, status, created_at, updated_at)
            VALUES (1, \(user.id), 'x', 'user_signed', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z')
            """
        #expect(throws: DatabaseError.self) { try fixture.registry.pool.write { try $0.execute(sql: badStatus) } }
        #expect(throws: DatabaseError.self) {
            try fixture.registry.pool.write {
                try $0.execute(sql: "INSERT INTO authority (id, name, base_url, site_dir, created_at) VALUES (2, 'b', 'https://b', 's', 'x')")
            }
        }
    }

    @Test func datesAreISO8601UTCWithMilliseconds() throws {
        let fixture = try Fixture()
        let (user, _) = try fixture.people()
        let stored = try fixture.sqlite("SELECT created_at FROM users WHERE id = \(user.id);")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(stored.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "stored \(stored)")
        #expect(stored.hasSuffix(".123Z"))
        // What is returned equals what is read back, to the bit.
        #expect(try fixture.registry.findUser(String(user.id)) == user)
    }

    @Test func timestampFormatsAndParsesKnownInstants() throws {
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: 951_782_400.5)) == "2000-02-29T00:00:00.500Z")
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: 4_102_444_799.999)) == "2099-12-31T23:59:59.999Z")
        for seconds in [0.0, 951_782_400.5, 1_750_000_000.123, 1_709_164_800.001, -86_400.25] {
            let date = Timestamp.normalized(Date(timeIntervalSince1970: seconds))
            #expect(Timestamp.date(from: Timestamp.string(from: date)) == date)
        }
        #expect(Timestamp.date(from: "2025-13-01T00:00:00.000Z") == nil)
        #expect(Timestamp.date(from: "2025-01-01 00:00:00.000") == nil)
    }

    @Test func openingAMissingRegistryFailsUnlessCreating() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("segel-missing-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let error = #expect(throws: RegistryError.self) { try Registry(home: home) }
        #expect(error?.code == .notFound)
        #expect(error?.message == "there is no registry at \(home.path)/registry.sqlite; run `segel init` first")
        #expect(!FileManager.default.fileExists(atPath: home.path))
    }

    @Test func reopeningKeepsDataAndDoesNotMigrateAgain() throws {
        let fixture = try Fixture()
        let (user, approver) = try fixture.people()
        let again = try fixture.secondRegistry()
        #expect(try again.findUser("siti@example.ac.id") == user)
        #expect(try again.findApprover("0011223344") == approver)
        #expect(try again.authority()?.baseURL == "https://verify.example.ac.id")
    }

    @Test func initializeTwiceAndBadURLAreRefused() throws {
        let fixture = try Fixture()
        let bad = #expect(throws: RegistryError.self) {
            try fixture.registry.initialize(authority: AuthoritySetup(name: "U", baseURL: "verify.example", siteDir: "site"))
        }
        #expect(bad?.code == .badInput)
        #expect(bad?.message == "the base URL \"verify.example\" is not an http(s) URL")
        _ = try fixture.people()
        let twice = #expect(throws: RegistryError.self) {
            try fixture.registry.initialize(authority: AuthoritySetup(name: "Other", baseURL: "https://o.example", siteDir: "s"))
        }
        #expect(twice?.code == .duplicate)
        #expect(twice?.message == "the registry at \(fixture.databasePath) is already initialized for \"Universitas Contoh\"")
    }

    @Test func duplicatesAreRefusedWithOneSentence() throws {
        let fixture = try Fixture()
        let (user, approver) = try fixture.people()
        let before = try fixture.rowCounts()
        let cases: [(() throws -> Void, String)] = [
            ({ _ = try fixture.registry.addUser(name: "X", email: "SITI@example.ac.id") },
             "a user with e-mail siti@example.ac.id already exists (user \(user.id))"),
            ({ _ = try fixture.registry.addUser(name: "X", email: "x@example.ac.id", nim: " 2021001 ") },
             "a user with NIM 2021001 already exists (user \(user.id))"),
            ({ _ = try fixture.registry.addApprover(name: "X", email: "budi@example.ac.id", nidn: "1") },
             "an approver with e-mail budi@example.ac.id already exists (approver \(approver.id))"),
            ({ _ = try fixture.registry.addApprover(name: "X", email: "x@example.ac.id", nidn: "0011223344") },
             "an approver with NIDN 0011223344 already exists (approver \(approver.id))"),
        ]
        for (body, message) in cases {
            let error = #expect(throws: RegistryError.self) { try body() }
            #expect(error?.code == .duplicate)
            #expect(error?.message == message)
        }
        #expect(try fixture.rowCounts() == before)
        // A second user without NIM is fine: NULL is not a duplicate.
        _ = try fixture.registry.addUser(name: "A", email: "a@example.ac.id")
        _ = try fixture.registry.addUser(name: "B", email: "b@example.ac.id", nim: "")
    }

    @Test func findUserAndApproverByEachKey() throws {
        let fixture = try Fixture()
        let (user, approver) = try fixture.people()
        #expect(user.email == "siti@example.ac.id")
        #expect(try fixture.registry.findUser("1") == user)
        #expect(try fixture.registry.findUser("SITI@example.ac.id") == user)
        #expect(try fixture.registry.findUser("2021001") == user)
        #expect(try fixture.registry.findApprover("1") == approver)
        #expect(try fixture.registry.findApprover("budi@example.ac.id") == approver)
        #expect(try fixture.registry.findApprover("0011223344") == approver)
        let missing = #expect(throws: RegistryError.self) { try fixture.registry.findUser("nobody@example.ac.id") }
        #expect(missing?.code == .notFound)
        #expect(missing?.message == "no user has the id, e-mail or NIM \"nobody@example.ac.id\"")
        let missingApprover = #expect(throws: RegistryError.self) { try fixture.registry.findApprover("42") }
        #expect(missingApprover?.message == "no approver has the id, e-mail or NIDN \"42\"")
        // "2" is user 2's id and user 3's NIM: refused rather than guessed.
        let second = try fixture.registry.addUser(name: "B", email: "b@example.ac.id")
        let third = try fixture.registry.addUser(name: "C", email: "c@example.ac.id", nim: "2")
        let ambiguous = #expect(throws: RegistryError.self) { try fixture.registry.findUser("2") }
        #expect(ambiguous?.code == .badInput)
        #expect(ambiguous?.message == "\"2\" is both user \(second.id)'s id and user \(third.id)'s NIM; use the e-mail instead")
    }

    @Test func badInputIsRefused() throws {
        let fixture = try Fixture()
        let (user, _) = try fixture.people()
        let empty = #expect(throws: RegistryError.self) { try fixture.registry.addUser(name: "  ", email: "a@b.c") }
        #expect(empty?.message == "the user's name must not be empty")
        let email = #expect(throws: RegistryError.self) { try fixture.registry.addUser(name: "A", email: "not-mail") }
        #expect(email?.message == "\"not-mail\" is not an e-mail address")
        let hash = #expect(throws: RegistryError.self) {
            try fixture.registry.submit(user: user.id, name: "X", file: StoredFile(
                sha256: "abc", size: 10, storedPath: "files/ab/abc.pdf", originalFilename: "x.pdf"))
        }
        #expect(hash?.code == .badInput)
        #expect(hash?.message == "the file hash \"abc\" is not a SHA-256 in hex")
        let unknown = #expect(throws: RegistryError.self) {
            try fixture.registry.submit(user: 99, name: "X", file: try fixture.stored("u"))
        }
        #expect(unknown?.code == .notFound)
        #expect(unknown?.message == "user 99 does not exist")
    }

    @Test func jsonColumnsAreSortedObjectsAndRecordsEncodeDeterministically() throws {
        let fixture = try Fixture()
        let (user, approver) = try fixture.people()
        let request = try fixture.approvedRequest(user: user, approver: approver)
        let stored = try fixture.sqlite("SELECT workflow_metadata FROM approval_requests WHERE id = \(request.id);")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let hash = try #require(request.workflowMetadata?["document_hash"])
        #expect(stored == "{\"approved_version\":\"1\",\"document_hash\":\"\(hash)\"}")

        let json = String(decoding: try RegistryJSON.encoder().encode(user), as: UTF8.self)
        #expect(json == "{\"created_at\":\"2025-06-15T15:06:42.123Z\",\"email\":\"siti@example.ac.id\","
                + "\"id\":1,\"name\":\"Siti Aminah\",\"nim\":\"2021001\",\"updated_at\":\"2025-06-15T15:06:42.123Z\"}")
        let decoded = try RegistryJSON.decoder().decode(ApprovalRequest.self,
                                                        from: try RegistryJSON.encoder().encode(request))
        #expect(decoded == request)
    }
}
