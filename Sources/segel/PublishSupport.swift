import ArgumentParser
import Authority
import Foundation
import PKI
import Portal

extension Authority {
    /// What the portal publishes from this authority: its registry, every CA
    /// it has used (each unlocked with `passphrase` only if its CRL must be
    /// re-signed), the signed PDFs in the home, and each CA's last CRL kept
    /// in the home.
    func publishSource(passphrase: @escaping @Sendable () throws -> String) throws -> PublishSource {
        let home = self.home
        var source = PublishSource(
            registry: registry,
            authorities: try caCertificates().map { generation, certificate in
                PublishSource.Authority(generation: generation, certificate: certificate,
                                        crlArchive: home.ca(generation: generation).crlArchive)
            },
            unlockCA: { [self] generation in try self.unlock(generation: generation, passphrase: try passphrase()) },
            signedPDF: { token in home.signedPDF(token: token) })
        source.timestampRoots = timestampingRoots()
        source.log = PublishSource.IssuanceLogSource(
            verifier: try issuanceLogVerifier(passphrase: passphrase),
            unlock: { [self] in try self.unlockIssuanceLog(passphrase: try passphrase()) },
            checkpoints: home.logCheckpoints)
        return source
    }
}

/// Asks for the CA passphrase at most once, however many keys need it: a
/// publish may unlock the CA and the issuance log's key at the same time, on
/// two threads, and must not prompt twice (or twice at once) on a terminal.
final class PassphraseOnce: @unchecked Sendable {
    private let ask: @Sendable () throws -> String
    private var answer: Result<String, Error>?
    private let lock = NSLock()

    init(_ ask: @escaping @Sendable () throws -> String) {
        self.ask = ask
    }

    func get() throws -> String {
        try lock.withLock {
            if let answer { return try answer.get() }
            let result = Result { try ask() }
            answer = result
            return try result.get()
        }
    }
}

/// A one-line progress display on stderr, redrawn in place, shown only when
/// stderr is a terminal.
final class ProgressLine: @unchecked Sendable {
    private let enabled = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var stepStarted: [String: Date] = [:]
    private var drawn = false

    func update(_ progress: PublishProgress) {
        guard enabled, progress.total > 0 else { return }
        lock.withLock {
            let now = Date()
            let started = stepStarted[progress.step] ?? now
            stepStarted[progress.step] = started
            guard now.timeIntervalSince(lastDraw) >= 0.1 || progress.completed == progress.total else { return }
            lastDraw = now
            let elapsed = now.timeIntervalSince(started)
            let rate = elapsed > 0.05 ? String(format: ", %.0f/s", Double(progress.completed) / elapsed) : ""
            let text = "\(progress.step): \(progress.completed)/\(progress.total)\(rate)"
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
            drawn = true
        }
    }

    /// Clears the line before normal output continues.
    func finish() {
        lock.withLock {
            if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            drawn = false
        }
    }
}

extension PortalLocale: ExpressibleByArgument {}

/// Prints a publish summary: counts and how to serve the site, or the JSON.
func report(_ summary: PublishSummary, json: Bool) throws {
    if json {
        // The summary's own encoder: the same JSON as Console.json, much faster for ~90,000 paths.
        FileHandle.standardOutput.write(summary.json() + Data("\n".utf8))
        return
    }
    Console.note("Published \(summary.documents) document(s) to \(summary.site)")
    Console.note("  \(summary.written) file(s) written, \(summary.unchanged) unchanged, \(summary.deleted) deleted"
                 + " (\(summary.files) in the site) in \(String(format: "%.2f", summary.seconds)) s")
    Console.note("  CRL #\(summary.crlNumber) \(summary.crlIssued ? "signed" : "kept"), next update \(summary.crlNextUpdate);"
                 + " data as of \(summary.asOf)")
    Console.note("  Hash index: \(summary.indexEntries) entries in \(summary.indexShards) shards")
    if summary.logSize > 0 {
        Console.note("  Issuance log: \(summary.logSize) entries, checkpoint \(summary.logSigned ? "signed" : "kept")")
    }
    Console.note("Serve it with any static host, e.g.: python3 -m http.server -d \(shellQuoted(summary.site)) 8000"
                 + "  → http://127.0.0.1:8000/")
}

/// A path as it can be pasted into a shell.
func shellQuoted(_ path: String) -> String {
    let safe = path.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "/._-+:@".unicodeScalars.contains($0) }
    return safe ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
