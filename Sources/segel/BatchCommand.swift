import ArgumentParser
import Authority
import Foundation
import PKI

struct BatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Submit, approve and sign every row of a CSV manifest, in parallel.",
        discussion: """
        The CSV has a header row with the columns file,name,user_email,user_name,user_nim,\
        type,approver,page,x,y,size,placement (file, name and approver are required; file paths are \
        relative to the manifest). Rows already signed are skipped, so after a crash, a full \
        disk or Ctrl-C you simply run the same command again: nothing is signed twice. A bad \
        row is reported with its line number and does not stop the others; the exit code is 1 \
        if any row failed. --json prints one result object per row.
        """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var timestamps: TimestampFlags
    @Argument(help: "The CSV manifest.") var manifest: String
    @Option(help: "Documents signed at once (default: the number of cores).") var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(name: .customLong("key-type"), help: "Per-document key: rsa2048 (default), rsa3072 or p256.")
    var keyType: KeyType = .rsa2048

    @Option(name: .customLong("output-dir"), help: ArgumentHelp("Also write each signed PDF here, under its input file's name (the JSON's signed_pdf then names that copy).", valueName: "DIR"))
    var outputDir: String?

    func validate() throws {
        guard jobs >= 1, jobs <= 256 else { throw ValidationError("--jobs must be between 1 and 256") }
    }

    /// `--output-dir`: created if needed and checked before anything is signed;
    /// two rows whose files share a name would overwrite each other, so that is refused.
    private func checkOutputDirectory(_ rows: [BatchRow]) throws -> URL? {
        guard let outputDir else { return nil }
        let directory = URL(fileURLWithPath: outputDir, isDirectory: true)
        var seen: [String: Int] = [:]
        for row in rows {
            let name = row.file.lastPathComponent
            if let first = seen[name] {
                throw AuthorityError(.usage, "lines \(first) and \(row.line) both sign a file named \(name), which would overwrite each other in \(directory.path)")
            }
            seen[name] = row.line
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw AuthorityError(.usage, "cannot create the output folder \(directory.path)")
        }
        guard access(directory.path, W_OK) == 0 else {
            throw AuthorityError(.usage, "the output folder \(directory.path) is not writable")
        }
        return directory
    }

    func run() async throws {
        let parsed = try BatchManifest(contentsOf: URL(fileURLWithPath: manifest))
        let outputDirectory = try checkOutputDirectory(parsed.rows)
        // `jobs` threads generate keys (the CPU-bound part) from now on, while twice as
        // many row workers do the rest, which mostly waits on disk writes. The pool starts
        // before the registry is opened and may run 32 keys ahead (a few KB each): a
        // smaller one filled up while the CA key was still being unlocked and left a core
        // idle. A rerun whose rows are all signed already wastes at most those 32 keys.
        // One key per signer: a row naming several signers takes one for each (a group
        // named in a row may stand for more; those keys are made when they are needed).
        let keyCount = parsed.rows.reduce(0) { $0 + max(1, $1.signers.count) }
        let keys = KeyPool(type: keyType, producers: jobs, capacity: max(32, 4 * jobs), count: keyCount)
        defer { keys.close() }
        let authority = try global.openAuthority()
        var signer = try global.signer(for: authority, timestamps: timestamps)
        signer.keySource = { type in
            do { return try keys.take() } catch { return try PrivateKey.generate(type) }
        }
        let recovered = try authority.recoverInterruptedSigning()
        if recovered.completed + recovered.discarded > 0 {
            Console.note("Recovered an interrupted run: \(recovered.completed) signed file(s) completed, \(recovered.discarded) unrecorded one(s) discarded.")
        }

        let stop = StopFlag()
        let interrupt = stop.installInterruptHandler(
            note: "Stopping after the documents in progress… (Ctrl-C again to quit now; rerun to finish)")
        let progress = ProgressBar(total: parsed.rows.count, label: "Signing")
        let collected = ResultBox()
        let json = global.json
        for error in parsed.errors {
            collected.append(BatchResult(line: error.line, file: "", status: .failed, result: nil, error: "line \(error.line): \(error.message)"))
        }
        if json { for r in collected.results { try Console.json(r) } }

        let signerForRows = signer
        let people = BatchPeople()
        // An external TSA answers over the network: keep several requests in flight while others wait.
        let workers = signer.timestamps?.isExternal == true ? max(2 * jobs, 8) : 2 * jobs
        BatchRunner.run(parsed.rows, jobs: workers, shouldStop: { stop.isSet },
                        process: { row in
                            var result = authority.processBatchRow(row, signer: signerForRows, keyType: keyType, people: people)
                            if let outputDirectory, var signing = result.result {
                                do {
                                    try deliver(&signing, to: outputDirectory.appendingPathComponent(row.file.lastPathComponent).path)
                                    result.result = signing
                                } catch {
                                    result.status = .failed
                                    result.error = "line \(row.line): signed, but the copy into \(outputDirectory.path) failed: \((error as? AuthorityError)?.message ?? "\(error)")"
                                }
                            }
                            return result
                        },
                        onResult: { result in
                            collected.append(result)
                            if json { try? Console.json(result) }
                            switch result.status {
                            case .signed:
                                progress.advance("line \(result.line): signed \(result.file) → \(result.result?.signedPDF ?? "") (code \(result.result?.lookupCode ?? ""))")
                            case .skipped:
                                progress.advance("line \(result.line): already signed \(result.file) → \(result.result?.signedPDF ?? "")")
                            case .failed:
                                progress.advance(result.error ?? "line \(result.line): failed")
                                if progress.interactive { progress.message("✗ \(result.error ?? "")") }
                            }
                        })
        progress.finish()
        interrupt.cancel()

        let results = collected.results
        let signed = results.filter { $0.status == .signed }.count
        let skipped = results.filter { $0.status == .skipped }.count
        let failed = results.filter { $0.status == .failed }.sorted { $0.line < $1.line }
        let notRun = parsed.rows.count + parsed.errors.count - results.count
        var summary = "\(signed) signed, \(skipped) already signed, \(failed.count) failed"
        if notRun > 0 { summary += ", \(notRun) not started (interrupted: run the same command again to finish)" }
        Console.note(summary + ".")
        for f in failed { Console.note("  \(f.error ?? "line \(f.line) failed")") }
        if !failed.isEmpty || notRun > 0 { throw ExitCode(ExitStatus.refused) }
    }
}

/// Set by the first Ctrl-C: no new item (a batch's row, an object to copy)
/// starts, the ones in progress finish. A second Ctrl-C quits at once, which
/// is safe too (every row is atomic; a copy is finished by the next run).
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }

    /// `note` is shown at the first Ctrl-C.
    func installInterruptHandler(note: String) -> DispatchSourceSignal {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [self] in
            let first = lock.withLock { () -> Bool in
                defer { value = true }
                return !value
            }
            if first {
                Console.note("\n" + note)
            } else {
                Foundation.exit(130)
            }
        }
        source.resume()
        return source
    }
}

final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [BatchResult] = []

    func append(_ result: BatchResult) { lock.withLock { items.append(result) } }
    var results: [BatchResult] { lock.withLock { items } }
}
