import ArgumentParser
import Authority
import Foundation
import PKI

/// Where the stamp goes and which per-document key: shared by sign, sign-file, batch and demo.
struct SigningFlags: ParsableArguments {
    @Option(name: .customLong("key-type"), help: "Per-document key: rsa2048 (default), rsa3072 or p256.")
    var keyType: KeyType = .rsa2048

    @Option(help: ArgumentHelp("Page for the QR stamp: a number from 1, or `last` (default).", valueName: "N|last"))
    var page: String = "last"

    @Option(help: ArgumentHelp("Stamp's left edge in points from the left of the page as displayed.", valueName: "PT"))
    var x: Double?

    @Option(help: ArgumentHelp("Stamp's bottom edge in points from the bottom of the page as displayed.", valueName: "PT"))
    var y: Double?

    @Option(help: ArgumentHelp("Side of the QR symbol in points; the caption makes the stamp 2.9× as wide.", valueName: "PT"))
    var size: Double = StampPosition.defaultSize

    @Option(help: ArgumentHelp("auto (default): the first blank area of the page, never over its content (smaller if needed, down to the smallest QR that scans); refused if there is none. new-page: a verification page appended for the stamp. --x/--y place it exactly.", valueName: "auto|new-page"))
    var placement: StampPosition.Placement = .auto

    func validate() throws {
        if (x == nil) != (y == nil) { throw ValidationError("--x and --y go together") }
        guard size >= 36, size <= 400 else { throw ValidationError("--size must be between 36 and 400 points") }
        _ = try pagePosition()
    }

    func pagePosition() throws -> StampPosition.Page {
        if page == "last" { return .last }
        guard let n = Int(page), n >= 1 else { throw ValidationError("--page takes a page number from 1, or `last`") }
        return .number(n)
    }

    var options: SigningOptions {
        SigningOptions(keyType: keyType,
                       position: StampPosition(page: (try? pagePosition()) ?? .last, x: x, y: y, size: size,
                                               placement: placement))
    }
}

extension KeyType: ExpressibleByArgument {}
extension StampPosition.Placement: ExpressibleByArgument {}

/// Who timestamps the signatures and whether a document timestamp closes the
/// file: shared by sign, sign-file, batch and demo.
struct TimestampFlags: ParsableArguments {
    @Option(help: ArgumentHelp("An external RFC 3161 time-stamping server for this run (default: the one `init --tsa` named, else the authority's own TSA). If it cannot be reached, nothing is signed.", valueName: "URL"))
    var tsa: String?

    @Option(name: .customLong("tsa-root"), help: ArgumentHelp("The root CA certificate (PEM or DER) of the external TSA: its tokens must chain to it, and verifiers then take them as the signing time (kept in the home and published in trust.json).", valueName: "FILE"))
    var tsaRoot: String?

    @Flag(help: "Close each signed file with a document timestamp after its validation data (PAdES B-LTA; the same as --level b-lta).")
    var lta = false

    @Option(help: ArgumentHelp("PAdES level: b-b (signature only), b-t (+ signature timestamp), b-lt (+ CA, TSA certificates and a CRL in the file; default), b-lta (+ document timestamp).", valueName: "LEVEL"))
    var level: PAdESLevel = .lt

    func validate() throws {
        if lta, level != .lt, level != .lta { throw ValidationError("--lta and --level \(level.rawValue) contradict each other") }
    }
}

extension GlobalOptions {
    /// Unlocks the CA and the TSA and returns the signer every signing command uses.
    func signer(for authority: Authority, timestamps: TimestampFlags) throws -> DocumentSigner {
        if let file = timestamps.tsaRoot {
            for root in try readTimestampingRoots(file) { try authority.trustTimestampingRoot(root) }
        }
        return try authority.signer(passphrase: try passphrase(), tsaURL: timestamps.tsa,
                                    level: timestamps.lta ? .lta : timestamps.level)
    }
}

/// The CA certificates of a `--tsa-root` file (PEM, one or more, or DER), each checked to be a CA.
func readTimestampingRoots(_ path: String) throws -> [Certificate] {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw AuthorityError(.usage, "cannot read the TSA root \(path)")
    }
    var roots = Certificate.allFromPEM(String(decoding: data, as: UTF8.self))
    if roots.isEmpty, let der = try? Certificate(der: data) { roots = [der] }
    guard !roots.isEmpty else { throw AuthorityError(.usage, "\(path) holds no certificate") }
    for root in roots where !root.isCA {
        throw AuthorityError(.usage, "\(path): \(root.subject.string) is not a CA certificate, so it cannot be a TSA root")
    }
    return roots
}

extension PAdESLevel: ExpressibleByArgument {}

/// Prints a signing result as CLI.md says: token and path, or the JSON object.
func report(_ result: SigningResult, json: Bool) throws {
    if json {
        try Console.json(result)
    } else {
        Console.out(result.token)
        Console.out(result.signedPDF)
        if let signatures = result.signatures, let remaining = result.remainingSigners, let last = signatures.last {
            let count = last.position + remaining.count
            let what = signatures.count > 1 ? "signers \(signatures[0].position)–\(last.position)" : "signer \(last.position)"
            if let next = remaining.first {
                Console.note("Signed request \(result.request) as \(what) of \(count) (\(last.signatureID)); next: \(next), who has a notice in the outbox; the document is published after the last signature")
            } else {
                Console.note("Signed request \(result.request) as \(what) of \(count) (\(last.signatureID)), the last; verify at \(result.verificationURL) after the next publish")
            }
        } else {
            Console.note("Signed request \(result.request) as \(result.signatureID); verify at \(result.verificationURL)")
        }
    }
}

/// `--output`: a copy of the signed PDF where the user asked, written atomically;
/// the result then names that copy.
func deliver(_ result: inout SigningResult, to output: String?) throws {
    guard let output else { return }
    let target = URL(fileURLWithPath: output)
    try AtomicFile.write(Data(contentsOf: URL(fileURLWithPath: result.signedPDF)), to: target)
    result.signedPDF = target.path
}
