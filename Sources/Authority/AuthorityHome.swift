import Foundation

/// The authority's state folder (`--home`, `$SEGEL_HOME`, else `./.segel`):
///
/// ```
/// registry.sqlite        the registry (GRDB, WAL)
/// ca/ca.pem              the first root CA certificate (generation 1)
/// ca/ca.key.pem          its key, PKCS#8 encrypted under the passphrase, mode 0600
/// ca/tsa.pem             its time-stamping certificate (issued by that CA)
/// ca/tsa.key.pem         the TSA's key, encrypted like the CA's, mode 0600
/// ca/crl.der             the last CRL that CA signed
/// ca/<g>/…               the same files for generation g ≥ 2 (`segel ca renew`)
/// ca/tsa-roots.pem       the roots the authority trusts for external TSAs (`--tsa-root`)
/// files/<aa>/<sha>.pdf   submitted documents, content-addressed
/// signed/<token>.pdf     signed PDFs
/// outbox/*.eml           notification e-mails for the institution's mail system to send
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

    /// The files of one CA generation: generation 1 directly under `ca/` (where
    /// releases before 0.5 kept the only CA), later ones under `ca/<g>/`.
    public struct CAPaths: Sendable, Hashable {
        public let generation: Int
        public let directory: URL
        public var certificate: URL { directory.appendingPathComponent("ca.pem") }
        public var key: URL { directory.appendingPathComponent("ca.key.pem") }
        public var tsaCertificate: URL { directory.appendingPathComponent("tsa.pem") }
        public var tsaKey: URL { directory.appendingPathComponent("tsa.key.pem") }
        /// The last CRL this CA signed, so its cRLNumber keeps rising even for a new site folder.
        public var crlArchive: URL { directory.appendingPathComponent("crl.der") }
    }

    /// The roots the authority has chosen to trust for external TSAs
    /// (`init --tsa-root`, `--tsa-root` when signing); published in `trust.json`.
    public var timestampingRoots: URL { caDirectory.appendingPathComponent("tsa-roots.pem") }

    public func ca(generation: Int) -> CAPaths {
        CAPaths(generation: generation,
                directory: generation == 1 ? caDirectory : caDirectory.appendingPathComponent(String(generation), isDirectory: true))
    }
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
    public var outboxDirectory: URL { url.appendingPathComponent("outbox", isDirectory: true) }

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
