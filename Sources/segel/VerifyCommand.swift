import ArgumentParser
import Authority
import Foundation
import Verifier

/// `segel verify FILE...` (CLI.md): the same checks as `segel-verify`, trusting
/// this authority's CA, revocations and records from its registry, and
/// logging every result in the verification log.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify signed PDFs against this authority's own records, and log each result.",
        discussion: """
        Prints, per file, the verdict (VALID, INVALID or INDETERMINATE) and every check \
        (--json: one object per file, as segel-verify prints). A VALID result marks the \
        document's signature verified. Exit codes: 0 all VALID, 1 some INVALID, 2 some \
        INDETERMINATE and none INVALID, 3 usage or I/O error.
        """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The PDF files to check.") var files: [String]
    @Option(help: ArgumentHelp("Files checked in parallel (one per core by default).", valueName: "N"))
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Name at least one PDF file to check.") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1.") }
    }

    func run() async throws {
        let authority = try global.openAuthority()
        let verifier = try authority.verifier()
        var worst: Verdict = .valid
        var failure: Error?
        verifier.verify(files: files.map { (URL(fileURLWithPath: $0), $0) }, jobs: jobs) { _, outcome in
            switch outcome {
            case .success(let report):
                worst = max(worst, report.verdict)
                do {
                    try authority.logVerification(report)
                } catch {
                    failure = failure ?? error
                }
                Console.out(global.json ? report.jsonLine() : report.humanText() + "\n")
            case .failure(let error):
                failure = failure ?? AuthorityError(.io, error.message)
            }
        }
        if let failure { throw failure }
        if worst != .valid { throw ExitCode(worst.exitCode) }
    }
}
