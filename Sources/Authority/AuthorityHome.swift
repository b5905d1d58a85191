import Foundation

/// The authority's state folder (`--home`, `$SEGEL_HOME`, else `./.segel`):
///
/// ```
/// registry.sqlite        the registry (GRDB, WAL)
/// ca/ca.pem              the root CA certificate
/// ca/ca.key.pem          its key, PKCS#8 encrypted under the passphrase, mode 0600
/// files/<aa>/<sha>.pdf   submitted documents, content-addressed
/// signed/<token>.pdf     signed PDFs
/// ```
///
/// The folder is created mode 0700; nothing under it is ever published as is.
public struct AuthorityHome: Sendable, Hashable {
    public let url: URL
    /// `<home>/signed/`, kept as a path: a publish asks for thousands of signed PDFs.
    private let signedPrefix: String

    public init(_ url: URL) {
        self.url = url.standardizedFileURL
        signedPrefix = self.url.appendingPathComponent("signed", isDirectory: true).path + "/"
    }

    public var registry: URL { url.appendingPathComponent("registry.sqlite") }
    public var caDirectory: URL { url.appendingPathComponent("ca", isDirectory: true) }
    public var caCertificate: URL { caDirectory.appendingPathComponent("ca.pem") }
    public var caKey: URL { caDirectory.appendingPathComponent("ca.key.pem") }
    public var signedDirectory: URL { url.appendingPathComponent("signed", isDirectory: true) }

    public func signedPDF(token: String) -> URL {
        URL(fileURLWithPath: signedPrefix + token + ".pdf", isDirectory: false)
    }

    /// Where a signed PDF waits until the registry has recorded it; the name
    /// carries the process id so a rerun can finish or discard it.
    func pendingSignedPDF(token: String) -> URL {
        URL(fileURLWithPath: "\(signedPrefix)\(Self.pendingPrefix)\(getpid())-\(token).pdf", isDirectory: false)
    }

    static let pendingPrefix = ".segel-pending-"

    public var filesDirectory: URL { url.appendingPathComponent("files", isDirectory: true) }

    public var exists: Bool {
        FileManager.default.fileExists(atPath: registry.path)
    }

    /// Creates the folder tree with owner-only permissions.
    func create() throws {
        for dir in [url, caDirectory, signedDirectory] {
            do {
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw AuthorityError(.io, "cannot create the folder \(dir.path): \(error.localizedDescription)")
            }
        }
    }
}
