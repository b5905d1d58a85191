import ArgumentParser
import Authority
import Foundation

struct SignFileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign-file",
        abstract: "Submit, approve and sign a PDF in one step.",
        discussion: """
        Prints the verification token and the signed PDF's path (--json: request, token, \
        signature_id, signed_pdf, sha256, verification_url). The signature is a PAdES \
        baseline B-B signature with a fresh per-document key; the QR stamp points to \
        <base-url>/v/<token>/. A file that needs a password, cannot be parsed, or is \
        certified with no changes permitted is refused (exit 1).

        Give --by more than once (or name a group, `segel group add`) for several signers: \
        each signs in turn in an incremental update of its own, with its own key, \
        certificate and stamp (side by side in blank space); the first certifies the \
        document so that only later signatures may follow (DocMDP P=2). --json then also \
        lists every signature under "signatures".
        """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var timestamps: TimestampFlags
    @Argument(help: "The PDF to sign.") var file: String
    @Option(help: ArgumentHelp("Approver who signs: id, e-mail or NIDN, or a group's name; repeat for several signers, in order.",
                               valueName: "APPROVER")) var by: [String]
    @Option(help: "Document name, e.g. \"Transkrip Nilai\".") var name: String
    @Option(help: ArgumentHelp("Requester: id, e-mail or NIM (default: the approver).", valueName: "USER")) var user: String?
    @Option(help: "Document type, e.g. transcript.") var type: String?
    @Option(help: "Notes kept with the request.") var notes: String?
    @Option(help: ArgumentHelp("Also write the signed PDF here.", valueName: "PATH")) var output: String?
    @OptionGroup var signing: SigningFlags

    func validate() throws {
        guard !by.isEmpty else { throw ValidationError("Missing expected argument '--by <APPROVER>'") }
    }

    func run() async throws {
        let authority = try global.openAuthority()
        let signer = try global.signer(for: authority, timestamps: timestamps)
        var result = try authority.signFile(URL(fileURLWithPath: file), approvers: by, name: name, user: user,
                                            type: type, notes: notes, signer: signer, options: signing.options)
        try deliver(&result, to: output)
        try report(result, json: global.json)
    }
}
