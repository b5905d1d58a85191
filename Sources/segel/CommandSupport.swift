import ArgumentParser
import Authority
import Foundation
import ObjectStore
import PDF
import PKI
import Portal
import Registry

/// Options every `segel` command accepts.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Authority state folder.", discussion: "Default: $SEGEL_HOME, else ./.segel", valueName: "DIR"))
    var home: String?

    @Option(name: .customLong("passphrase-file"), help: ArgumentHelp("File whose first line is the CA passphrase (else $SEGEL_PASSPHRASE).", valueName: "F"))
    var passphraseFile: String?

    @Flag(name: .long, help: "Print machine-readable JSON on stdout.")
    var json = false

    var homeURL: URL {
        if let home { return URL(fileURLWithPath: home) }
        if let env = ProcessInfo.processInfo.environment["SEGEL_HOME"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return URL(fileURLWithPath: ".segel")
    }

    var authorityHome: AuthorityHome { AuthorityHome(homeURL) }

    /// Opens the authority, telling the user when another segel process holds the lock.
    func openAuthority() throws -> Authority {
        try Authority(home: authorityHome, onWait: { message in
            Console.note(message)
        })
    }

    /// The CA passphrase: `--passphrase-file`, `$SEGEL_PASSPHRASE`, or a prompt on a terminal.
    func passphrase() throws -> String {
        if let passphraseFile {
            guard let text = try? String(contentsOfFile: passphraseFile, encoding: .utf8) else {
                throw AuthorityError(.io, "cannot read the passphrase file \(passphraseFile)")
            }
            let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            return line.trimmingCharacters(in: CharacterSet(charactersIn: "\r"))
        }
        if let env = ProcessInfo.processInfo.environment["SEGEL_PASSPHRASE"], !env.isEmpty {
            return env
        }
        if isatty(STDIN_FILENO) != 0, let typed = getpass("CA passphrase: ") {
            return String(cString: typed)
        }
        throw AuthorityError(.usage, "the CA passphrase is needed: set SEGEL_PASSPHRASE or pass --passphrase-file")
    }
}

/// stderr for people, stdout for results.
enum Console {
    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Sorted keys and registry timestamps, so output is stable for scripts.
    static let encoder = RegistryJSON.encoder()

    static func json<T: Encodable>(_ value: T) throws {
        let data = try encoder.encode(value)
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}

/// The CLI contract's exit codes (CLI.md): 0 success, 1 refused, 2 indeterminate, 3 usage or I/O.
enum ExitStatus {
    static let refused: Int32 = 1
    static let indeterminate: Int32 = 2
    static let usage: Int32 = 3

    /// One sentence and the exit code for any error a command can throw.
    static func describe(_ error: Error) -> (message: String, code: Int32)? {
        switch error {
        case let error as AuthorityError:
            return (error.message, error.code == .refused ? refused : usage)
        case let error as RegistryError:
            switch error.code {
            case .notFound: return (error.message, usage)
            case .database, .busy: return (error.message, usage)
            default: return (error.message, refused)
            }
        case let error as PDFError:
            return (error.description, refused)
        case let error as PKIError:
            return (error.description, error.code == .wrongPassphrase ? refused : usage)
        case let error as PortalError:
            switch error.code {
            case .integrity, .registry, .trust, .busy, .interrupted: return (error.description, refused)
            default: return (error.description, usage)
            }
        case let error as ObjectStoreError:
            return (error.message, error.code == .preconditionFailed ? refused : usage)
        case let error as CocoaError:
            return (error.localizedDescription, usage)
        default:
            return nil
        }
    }
}
