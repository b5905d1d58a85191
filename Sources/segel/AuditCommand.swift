import ArgumentParser
import Authority
import Foundation
import Registry

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show the hash-chained audit log; `audit verify` checks the chain.",
        subcommands: [Show.self, Verify.self],
        defaultSubcommand: Show.self)

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "List audit rows (the default).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only rows about this request.") var request: Int64?
        @Option(help: "Only this action, e.g. document_signed, signing_failed.") var action: AuditAction?

        func run() async throws {
            let rows = try global.openAuthority().registry.audit(request: request, action: action)
            if global.json { try Console.json(rows); return }
            if rows.isEmpty { Console.note("No audit rows.") }
            for r in rows {
                let transition = r.statusFrom.map { "\($0) → \(r.statusTo ?? "")  " } ?? ""
                Console.out("\(r.id)\t\(Timestamp.string(from: r.performedAt))\t\(r.action.rawValue)\t\(transition)\(r.description)")
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that no audit row was edited or deleted (exit 1 names the first bad row).")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let report = try global.openAuthority().registry.verifyAuditChain()
            if global.json { try Console.json(report) } else { Console.note(report.message) }
            if !report.isIntact { throw ExitCode(ExitStatus.refused) }
        }
    }
}

extension AuditAction: ExpressibleByArgument {}
