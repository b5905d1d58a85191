import ArgumentParser
import Authority
import Foundation
import Registry

struct GroupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "group",
        abstract: "Named, ordered groups of approvers who sign documents together.",
        discussion: """
        A group's name can stand for its approvers wherever signers are named \
        (`request submit --signers`, `sign-file --by`, a batch row's `signers` column); \
        they sign in the group's order.
        """,
        subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a group; prints its id.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The group's name, e.g. dean-and-kaprodi.") var name: String
        @Option(help: ArgumentHelp("Approvers in signing order, comma-separated: id, e-mail or NIDN.",
                                   valueName: "A,B,…")) var approvers: String
        @Option(help: "The role the group signs in, e.g. \"Dekan dan Kaprodi\".") var role: String?

        func run() async throws {
            let registry = try global.openAuthority().registry
            // Every approver is found before anything is written.
            let ids = try approvers.split(separator: ",").map { try registry.findApprover(String($0)).id }
            let group = try registry.addGroup(name: name, approvers: ids, role: role)
            if global.json { try Console.json(group) } else { Console.out(String(group.id)) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List groups with their approvers in order.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let groups = try global.openAuthority().registry.groups()
            if global.json {
                struct Item: Encodable { var group: SignerGroup; var approvers: [Approver] }
                try Console.json(groups.map { Item(group: $0.group, approvers: $0.approvers) })
                return
            }
            if groups.isEmpty { Console.note("No groups.") }
            for (group, members) in groups {
                Console.out("\(group.id)\t\(group.name)\t\(group.role ?? "-")\t" + members.map(\.name).joined(separator: ", "))
            }
        }
    }
}
