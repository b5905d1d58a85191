import Foundation
import PKI
import Registry

/// Where a site's data comes from: the registry, the CA certificate (public),
/// a way to unlock the CA key — asked for only when a new CRL must be signed —
/// and where the signed PDFs are.
public struct PublishSource: Sendable {
    public var registry: Registry
    public var caCertificate: Certificate
    /// Returns the CA with its key; called at most once per publish.
    public var unlockCA: @Sendable () throws -> CertificateAuthority
    /// The signed PDF of a token (e.g. `<home>/signed/<token>.pdf`).
    public var signedPDF: @Sendable (String) -> URL
    /// Where the last issued CRL is kept outside the site (e.g. `<home>/ca/crl.der`),
    /// so its cRLNumber keeps increasing even when the site folder is new.
    public var crlArchive: URL?

    public init(registry: Registry, caCertificate: Certificate,
                unlockCA: @escaping @Sendable () throws -> CertificateAuthority,
                signedPDF: @escaping @Sendable (String) -> URL, crlArchive: URL? = nil) {
        self.registry = registry
        self.caCertificate = caCertificate
        self.unlockCA = unlockCA
        self.signedPDF = signedPDF
        self.crlArchive = crlArchive
    }
}

/// How to publish (`segel publish` flags).
public struct PublishOptions: Sendable {
    /// The site folder; created if missing.
    public var site: URL
    /// A folder whose files replace the default templates of the same relative path.
    public var templates: URL?
    public var locale: PortalLocale = .id
    /// Publish no PDFs (`d/`); the pages say the PDF is not public.
    public var privatePDFs = false
    /// nextUpdate of a newly issued CRL = thisUpdate + this many days.
    public var crlValidityDays = 7
    /// The zone in which pages show dates and times (machine-readable dates are
    /// always UTC); Western Indonesian Time (WIB) unless told otherwise.
    public var timeZone = TimeZone(identifier: "Asia/Jakarta")!
    /// The clock, used only for the CRL (see `CRLPolicy`).
    public var now = Date()
    /// Check that every unchanged file is still on disk (one lstat each), and
    /// write it again if it is not.
    public var checkExistingFiles = true
    /// Called from the publishing thread as work progresses.
    public var progress: (@Sendable (PublishProgress) -> Void)?

    public init(site: URL) {
        self.site = site
    }
}

/// One progress report: `completed` of `total` units of `step` are done.
public struct PublishProgress: Sendable, Hashable {
    public var step: String
    public var completed: Int
    public var total: Int
}

/// What a publish did.
public struct PublishSummary: Sendable, Hashable, Codable {
    /// Absolute path of the site folder.
    public var site: String
    /// Files of the site after this publish (the manifest not counted).
    public var files: Int
    public var written: Int
    public var unchanged: Int
    public var deleted: Int
    public var documents: Int
    /// Documents whose files were rendered this time (the others were unchanged).
    public var renderedDocuments: Int
    /// True when a new CRL was signed; false when the previous one was kept.
    public var crlIssued: Bool
    public var crlNumber: Int
    public var crlNextUpdate: String
    /// The time of the latest registry change the site reflects (ISO 8601).
    public var asOf: String
    public var seconds: Double
    /// Relative paths written, sorted.
    public var writtenPaths: [String]
    /// Relative paths deleted, sorted.
    public var deletedPaths: [String]

    enum CodingKeys: String, CodingKey {
        case site, files, written, unchanged, deleted, documents, seconds
        case renderedDocuments = "rendered_documents"
        case crlIssued = "crl_issued"
        case crlNumber = "crl_number"
        case crlNextUpdate = "crl_next_update"
        case asOf = "as_of"
        case writtenPaths = "written_paths"
        case deletedPaths = "deleted_paths"
    }
}
