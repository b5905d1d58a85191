import Foundation
import GRDB
import Testing
@testable import Registry

@Suite struct ConcurrencyTests {
    @Test func twoInstancesOnTwoThreadsLoseNothing() throws {
        let fixture = try Fixture()
        let (_, approver) = try fixture.people()
        let registries = [fixture.registry, try fixture.secondRegistry()]
        let files = try (0..<2).map { worker in try (0..<25).map { try fixture.stored("w\(worker)-\($0)") } }
        let failures = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            let registry = registries[worker]
            for index in 0..<25 {
                do {
                    let user = try registry.addUser(name: "User \(worker)-\(index)",
                                                    email: "u\(worker)-\(index)@example.ac.id")
                    let request = try registry.submit(user: user.id, name: "Doc \(worker)-\(index)",
                                                      file: files[worker][index])
                    if index % 2 == 0 {
                        try registry.approve(request: request.id, by: approver.id)
                    } else {
                        try registry.reject(request: request.id, by: approver.id, reason: "odd")
                    }
                } catch {
                    failures.withValue { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withValue { $0 } == [])
        let counts = try fixture.rowCounts()
        #expect(counts["users"] == 51)
        #expect(counts["approval_requests"] == 50)
        #expect(counts["document_versions"] == 50)
        // init + user + approver, then 3 rows per worker iteration.
        #expect(counts["signature_audit_logs"] == 3 + 150)
        let report = try fixture.registry.verifyAuditChain()
        #expect(report.isIntact, "\(report.message)")
        #expect(try fixture.registry.requests(status: .approved).count == 26)
        #expect(try fixture.registry.requests(status: .rejected).count == 24)
    }

    @Test func racingCompleteSigningSignsOnce() throws {
        let fixture = try Fixture()
        let (user, approver) = try fixture.people()
        let request = try fixture.approvedRequest(user: user, approver: approver)
        let registries = [fixture.registry, try fixture.secondRegistry()]
        // Both processes prepared the same request before either finished.
        let tickets = try registries.map { try $0.prepareSigning(request: request.id) }
        let outcomes = Locked<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            do {
                try registries[worker].completeSigning(fixture.signedDocument(tickets[worker], n: worker + 1))
                outcomes.withValue { $0.append("signed") }
            } catch let error as RegistryError {
                outcomes.withValue { $0.append(error.message) }
            } catch {
                outcomes.withValue { $0.append("unexpected \(error)") }
            }
        }
        #expect(outcomes.withValue { $0.sorted() } == ["request \(request.id) is already sign_approved", "signed"])
        let counts = try fixture.rowCounts()
        #expect(counts["document_signatures"] == 1)
        #expect(counts["digital_signatures"] == 1)
        #expect(try fixture.registry.audit(action: .documentSigned).count == 1)
        #expect(try fixture.registry.verifyAuditChain().isIntact)
    }

    @Test func writeWaitsForAnotherProcessAndSaysSoOnce() throws {
        let waits = Locked<[String]>([])
        let fixture = try Fixture(onWait: { message in waits.withValue { $0.append(message) } })
        _ = try fixture.people()
        let holder = try LockHolder(database: fixture.databasePath)
        let done = DispatchSemaphore(value: 0)
        let result = Locked<String?>(nil)
        let started = Date()
        DispatchQueue.global().async {
            do {
                let user = try fixture.registry.addUser(name: "Waiter", email: "waiter@example.ac.id")
                result.withValue { $0 = "user \(user.id)" }
            } catch {
                result.withValue { $0 = "\(error)" }
            }
            done.signal()
        }
        // Still blocked after 2 s: the lock is held by the sqlite3 process.
        #expect(done.wait(timeout: .now() + 2.0) == .timedOut)
        #expect(waits.withValue { $0.count } == 1)
        try holder.release()
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(Date().timeIntervalSince(started) >= 2.0)
        #expect(result.withValue { $0 } == "user 2")
        #expect(waits.withValue { $0 } == ["waiting for another segel process to finish with \(fixture.databasePath)…"])
        #expect(try fixture.registry.verifyAuditChain().isIntact)
    }

    @Test func writeGivesUpAfterTheWaitLimit() throws {
        let waits = Locked<Int>(0)
        let fixture = try Fixture(waitLimit: 1.5, onWait: { _ in waits.withValue { $0 += 1 } })
        _ = try fixture.people()
        let before = try fixture.rowCounts()
        let holder = try LockHolder(database: fixture.databasePath)
        let started = Date()
        let error = #expect(throws: RegistryError.self) {
            try fixture.registry.addUser(name: "Impatient", email: "impatient@example.ac.id")
        }
        let waited = Date().timeIntervalSince(started)
        try holder.release()
        #expect(error?.code == .busy)
        #expect(error?.message ==
            "could not add user impatient@example.ac.id: another process kept \(fixture.databasePath) locked for more than 1.5 s")
        #expect(waited >= 1.4 && waited < 10, "waited \(waited) s")
        #expect(waits.withValue { $0 } == 1)
        #expect(try fixture.rowCounts() == before)
        // Once the other process is gone, the same write goes through.
        _ = try fixture.registry.addUser(name: "Impatient", email: "impatient@example.ac.id")
    }

    @Test func readsAreNotBlockedByAnotherProcessWriting() throws {
        let fixture = try Fixture()
        let (user, _) = try fixture.people()
        let holder = try LockHolder(database: fixture.databasePath)
        defer { try? holder.release() }
        let started = Date()
        #expect(try fixture.registry.findUser(user.email) == user)
        #expect(try fixture.registry.verifyAuditChain().isIntact)
        // Opening the registry anew (a second `segel` command) does not wait either.
        let second = try fixture.secondRegistry(waitLimit: 0.5)
        #expect(try second.requests().isEmpty)
        #expect(Date().timeIntervalSince(started) < 1)
    }
}
