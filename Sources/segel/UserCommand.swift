import ArgumentParser
import Authority
import Foundation
import Registry

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage users (people who submit documents).",
        subcommands: [Add.self, List.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user; prints the user id.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Full name.") var name: String
        @Option(help: "E-mail address (unique).") var email: String
        @Option(help: "NIM, the student number (unique).") var nim: String?

        func run() async throws {
            let user = try global.openAuthority().registry.addUser(name: name, email: email, nim: nim)
            if global.json { try Console.json(user) } else { Console.out(String(user.id)) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let users = try global.openAuthority().registry.users()
            if global.json { try Console.json(users); return }
            for u in users {
                Console.out("\(u.id)\t\(u.name)\t\(u.email)\(u.nim.map { "\tNIM \($0)" } ?? "")")
            }
        }
    }
}
