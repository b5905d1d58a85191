import ArgumentParser
import Authority
import Foundation
import Registry

struct InvalidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invalidate",
        abstract: "Invalidate a signed document (its certificate goes on the next CRL).",
        discussion: "The portal shows the document as invalidated with the reason after the next `segel publish`.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The document's verification token.") var token: String
    @Option(help: "Why the document is no longer valid (shown on its page).") var reason: String

    func run() async throws {
        let signature = try global.openAuthority().registry.invalidate(token: token, reason: reason)
        if global.json { try Console.json(signature) } else {
            Console.note("Document \(token) invalidated; run `segel publish` to update the portal and the CRL.")
        }
    }
}
