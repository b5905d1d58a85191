import ArgumentParser
import Authority
import Foundation
import Registry

struct ApproverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approver",
        abstract: "Manage approvers (heads of study programme who approve and sign).",
        subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an approver; prints the approver id.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Full name with degrees, as it appears on the stamp.") var name: String
        @Option(help: "E-mail address (unique).") var email: String
        @Option(help: "NIDN, the national lecturer number (unique).") var nidn: String
        @Option(help: "Title or position, e.g. \"Ketua Program Studi Informatika\".") var title: String?

        func run() async throws {
            let authority = try global.openAuthority()
            let approver = try authority.registry.addApprover(name: name, email: email, nidn: nidn, title: title)
            if global.json { try Console.json(approver) } else { Console.out(String(approver.id)) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List approvers.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let approvers = try global.openAuthority().registry.approvers()
            if global.json { try Console.json(approvers); return }
            for a in approvers {
                Console.out("\(a.id)\t\(a.name)\t\(a.email)\tNIDN \(a.nidn)\(a.title.map { "\t\($0)" } ?? "")")
            }
        }
    }
}
