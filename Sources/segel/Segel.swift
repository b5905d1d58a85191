import ArgumentParser
import Foundation
import Record

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
        version: SegelVersion.current,
        subcommands: [
            InitCommand.self, ApproverCommand.self, UserCommand.self, RequestCommand.self,
            SignCommand.self, SignFileCommand.self, BatchCommand.self, InvalidateCommand.self, KeysCommand.self,
            AuditCommand.self, StatsCommand.self, VerifyCommand.self, PublishCommand.self, DemoCommand.self,
            CACommand.self, LogCommand.self, GroupCommand.self,
        ])

    /// Runs the command and maps every error to one sentence on stderr and the
    /// contract's exit code (argument-parser's own usage errors become 3, not 64).
    static func main() async {
        Memory.keepFreedMemory()
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

enum Memory {
    /// glibc hands freed memory at the top of a thread's heap back to the
    /// kernel (madvise) as soon as 128 KB are free, and the next allocation
    /// faults the pages in again: a 60-document batch, whose threads each
    /// compress and sign PDFs, made 416 such calls (each one also flushes the
    /// TLB of the other cores, where keys are being generated); with this, 7.
    /// Keeping up to 64 MB per heap leaves the resident size bounded by the
    /// busiest moment, as before.
    static func keepFreedMemory() {
        // mallopt(3) is in <malloc.h>, which the Glibc module does not export.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(dlopen(nil, RTLD_LAZY), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let trimThreshold: Int32 = -1, topPad: Int32 = -2  // M_TRIM_THRESHOLD, M_TOP_PAD
        _ = mallopt(trimThreshold, 64 << 20)
        _ = mallopt(topPad, 1 << 20)
    }
}
