// Benchmark (not a test) of the public issuance log at scale, for
// scripts/bench-publish: the log part of a publish for N entries
// (`IssuanceLogFiles.build`: the parts `segel publish` runs in its steps —
// prepare, sign, keep — one after the other, then writing its files), and
// the republish after 100 more entries.
//
//     segel-log-bench [ENTRIES] [FOLDER]      (default 100000, a temporary folder)
import Crypto
import Foundation
import IssuanceLog
import Portal

let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 100_000 : 100_000
let folder = CommandLine.arguments.count > 2
    ? URL(fileURLWithPath: CommandLine.arguments[2])
    : FileManager.default.temporaryDirectory.appendingPathComponent("segel-log-bench-\(getpid())")
try? FileManager.default.removeItem(at: folder)
let site = folder.appendingPathComponent("site")
let key = LogKey(name: "verify.example.ac.id/log", privateKey: Curve25519.Signing.PrivateKey())
let source = PublishSource.IssuanceLogSource(verifier: key.verifier, unlock: { key },
                                             checkpoints: folder.appendingPathComponent("checkpoints"))

func entries(_ range: Range<Int>) -> [Data] {
    range.map { number in
        LogEntry(kind: .documentSigned, time: "2026-12-07T00:00:00Z", token: String(format: "tok%020d", number),
                 sha256: String(repeating: String(format: "%02x", number % 256), count: 32),
                 serial: String(format: "%032x", number), fingerprint: String(repeating: "ab", count: 32),
                 status: "valid", reason: nil).data
    }
}

/// Writes the files whose bytes differ from what is there; returns how many.
func write(_ files: [String: Data]) throws -> Int {
    var written = 0
    for (path, data) in files {
        let url = site.appendingPathComponent(path)
        if (try? Data(contentsOf: url)) == data { continue }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
        written += 1
    }
    return written
}

func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = Date()
    let value = try body()
    return (value, Date().timeIntervalSince(start))
}

let first = entries(0..<count)
let (built, buildTime) = try timed { try IssuanceLogFiles.build(entries: first, source: source) }
let (written, writeTime) = try timed { try write(built.files) }
let (proofs, proofTime) = try timed { try (0..<count).compactMap { try built.inclusion($0) }.count }
print(String(format: "issuance log, %d entries: build %.2f s (tree, tiles, bundles, signed checkpoint), write %.2f s: %d files; %d inclusion proofs in %.2f s",
             count, buildTime, writeTime, written, proofs, proofTime))

let more = first + entries(count..<(count + 100))
let (again, againTime) = try timed { try IssuanceLogFiles.build(entries: more, source: source) }
let (rewritten, rewriteTime) = try timed { try write(again.files) }
print(String(format: "after 100 more entries: build %.2f s, %d files written in %.2f s (new tiles, partial tiles, checkpoint)",
             againTime, rewritten, rewriteTime))
try? FileManager.default.removeItem(at: folder)
