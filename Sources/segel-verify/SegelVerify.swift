import ArgumentParser
import Foundation
import Verifier

/// `segel-verify FILE... (--site DIR | --bundle trust.json | --ca ca.pem [--crl crl.pem]) [--json] [--jobs N]`
/// (CLI.md): the standalone, offline verifier. Parsing only; the checks live in the Verifier module.
@main
struct SegelVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segel-verify",
        abstract: "Check segel-signed PDFs offline against what the signing authority published.",
        discussion: """
        Trust comes only from what you pass: a local copy of the authority's published site \
        (--site), its trust.json (--bundle), or its CA certificate and CRL (--ca, --crl). \
        Nothing is fetched from the network and nothing in the PDF is trusted.
        Each file gets a verdict: VALID, INVALID (something is wrong: the document was changed, \
        the signature is not the authority's, it was revoked or invalidated, …) or INDETERMINATE \
        (nothing is wrong but something could not be confirmed: no current CRL, no published record).
        Exit codes: 0 every file is VALID, 1 some file is INVALID, 2 none is INVALID but some is \
        INDETERMINATE, 3 usage or I/O error.
        """,
        version: "0.6.0")

    @Argument(help: "The PDF files to check.")
    var files: [String]

    @Option(help: ArgumentHelp("A local copy of the published site (trust.json, ca.pem, crl.pem, api/verify/).", valueName: "DIR"))
    var site: String?

    @Option(help: ArgumentHelp("The authority's trust.json (CA and CRL; no per-document records).", valueName: "trust.json"))
    var bundle: String?

    @Option(help: ArgumentHelp("The authority's CA certificate(s) (PEM or DER; a PEM file such as the site's cas.pem may hold several); cryptographic checks only.", valueName: "ca.pem"))
    var ca: String?

    @Option(help: ArgumentHelp("The authority's CRL (PEM or DER), with --ca; once per CA.", valueName: "crl.pem"))
    var crl: [String] = []

    @Option(help: ArgumentHelp("Evaluate as if it were this time (ISO 8601, e.g. 2036-01-01T00:00:00Z), for audits and tests: certificates, timestamps and revocation lists are judged at that moment.", valueName: "TIME"))
    var at: String?

    @Flag(help: "Print one JSON object per file on stdout.")
    var json = false

    @Option(help: ArgumentHelp("Files checked in parallel (one per core by default).", valueName: "N"))
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Name at least one PDF file to check.") }
        let sources = [site, bundle, ca].compactMap { $0 }.count
        guard sources == 1 else {
            throw ValidationError("Give exactly one of --site DIR, --bundle trust.json or --ca ca.pem.")
        }
        if !crl.isEmpty && ca == nil {
            throw ValidationError("--crl goes with --ca (a site or bundle carries its own CRL).")
        }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1.") }
        if let at, ISOTime.date(from: at) == nil {
            throw ValidationError("--at takes an ISO 8601 time such as 2036-01-01T00:00:00Z, not \"\(at)\".")
        }
    }

    func run() throws {
        let trust: TrustContext
        if let site {
            trust = try TrustContext.site(directory: URL(fileURLWithPath: site))
        } else if let bundle {
            trust = try TrustContext.bundle(trustFile: URL(fileURLWithPath: bundle))
        } else {
            trust = try TrustContext.certificate(caFile: URL(fileURLWithPath: ca!), crlFiles: crl.map(URL.init(fileURLWithPath:)))
        }
        let verifier = Verifier(trust: trust, now: at.flatMap(ISOTime.date(from:)) ?? Date())
        var worst: Verdict = .valid
        var ioError = false
        let output = FileHandle.standardOutput
        verifier.verify(files: files.map { (URL(fileURLWithPath: $0), $0) }, jobs: jobs) { _, outcome in
            switch outcome {
            case .success(let report):
                worst = max(worst, report.verdict)
                let text = json ? report.jsonLine() : report.humanText() + "\n"
                output.write(Data((text + "\n").utf8))
            case .failure(let error):
                ioError = true
                FileHandle.standardError.write(Data("segel-verify: \(error.message)\n".utf8))
            }
        }
        if ioError { throw ExitCode(3) }
        if worst != .valid { throw ExitCode(worst.exitCode) }
    }

    /// Argument errors exit 3 (CLI.md), not argument-parser's 64; trust errors are one sentence.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let error as VerifierError {
            FileHandle.standardError.write(Data("segel-verify: \(error.message)\n".utf8))
            Foundation.exit(3)
        } catch {
            if exitCode(for: error) == .success { self.exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(3)
        }
    }
}
