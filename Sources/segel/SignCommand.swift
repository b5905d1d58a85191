import ArgumentParser
import Authority
import Foundation

struct SignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign an approved request.",
        discussion: """
        The stored file must still hash to the SHA-256 that was approved; otherwise nothing \
        is signed and the audit log records `signing_failed`. Prints the token and the signed \
        PDF's path (--json as for sign-file).
        """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var timestamps: TimestampFlags
    @Argument(help: "The request id.") var request: Int64
    @Option(help: ArgumentHelp("Also write the signed PDF here.", valueName: "PATH")) var output: String?
    @OptionGroup var signing: SigningFlags

    func run() async throws {
        let authority = try global.openAuthority()
        let signer = try global.signer(for: authority, timestamps: timestamps)
        var result = try authority.sign(request: request, with: signer, options: signing.options)
        try deliver(&result, to: output)
        try report(result, json: global.json)
    }
}
