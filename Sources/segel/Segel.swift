import ArgumentParser
import Foundation

@main
struct Segel: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segel",
        abstract: "Sign PDF documents with your institution's own CA and publish a static verification portal.",
        discussion: """
        The authority's state lives in --home (default $SEGEL_HOME, else ./.segel). The CA \
        passphrase comes from $SEGEL_PASSPHRASE or --passphrase-file, never from a flag value.
        Exit codes: 0 success, 1 refused (illegal state, integrity failure, invalid signature), \
        2 verification indeterminate, 3 usage or I/O error.
        """,
        version: "0.3.0",
        subcommands: [
            InitCommand.self, ApproverCommand.self, UserCommand.self, RequestCommand.self,
            SignCommand.self, SignFileCommand.self, BatchCommand.self, InvalidateCommand.self, KeysCommand.self,
            AuditCommand.self, StatsCommand.self, VerifyCommand.self, PublishCommand.self, DemoCommand.self,
        ])

    /// Runs the command and maps every error to one sentence on stderr and the
    /// contract's exit code (argument-parser's own usage errors become 3, not 64).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            if let (message, status) = ExitStatus.describe(error) {
                Console.note("segel: \(message)")
                Foundation.exit(status)
            }
            if exitCode(for: error) == .success {
                Segel.exit(withError: error)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(ExitStatus.usage)
        }
    }
}
