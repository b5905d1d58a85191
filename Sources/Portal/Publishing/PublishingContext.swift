import Foundation
import IssuanceLog
import Record
import PKI
import Registry

/// A file of the site as a step planned it.
struct PlannedFile: Sendable {
    enum Source: Sendable {
        /// Rendered or encoded bytes.
        case data(Data)
        /// A copy of this file, whose SHA-256 must equal `sha256` (signed PDFs).
        case copy(URL)
        /// Unchanged since the last publish: the manifest's hash, no bytes.
        case previous
        /// Already put in place by the step that planned it (a publish with
        /// no manifest writes document files as soon as they are rendered).
        case written
    }

    var source: Source
    /// SHA-256 of the file's bytes, lowercase hex.
    var sha256: String

    static func data(_ data: Data) -> PlannedFile {
        PlannedFile(source: .data(data), sha256: Digest.hex(Digest.sha256(data)))
    }
}

/// What the steps share: the inputs, what they read, and the files they plan.
/// Used by one thread at a time (steps fan work out and collect it again).
final class PublishingContext {
    let source: PublishSource
    let options: PublishOptions
    let started = Date()
    var currentStep = ""

    // Read from the registry.
    var authority: AuthorityInfo!
    /// The registry as it was when the publish started: everything read from it comes from this one state.
    var snapshot: PublishedSnapshot!
    /// Every published document, in id order (what `documents` are read from).
    var summaries: [PublishedDocumentSummary] = []
    /// The documents read whole, in id order: those that are not valid (the
    /// CRL lists them) and those `planDocuments` chose — every one that changed
    /// since the last publish and every one sharing a hash index shard with
    /// one, or all of them. The others keep their files unread.
    var documents: [SiteDocument] = []
    /// The latest registry change: "as of" on the site-wide pages and in trust.json.
    var asOf = Date(timeIntervalSince1970: 0)

    // Templates.
    var templates: TemplateSet!
    /// One renderer per language, the site's primary language first.
    var renderers: [PageRenderer] = []
    /// The primary language's renderer.
    var renderer: PageRenderer! { renderers.first }

    // The site.
    let writer: SiteWriter
    let existing: ExistenceIndex
    /// True when the site has no manifest (a first publish): every file is
    /// written, document files as soon as they are rendered, and the hash
    /// shards from the start (`shardPrefill`).
    let fresh: Bool
    var previous: Manifest?
    /// The previous manifest, being read since the publish started.
    var previousManifest: Pending<Manifest?>?
    /// In a fresh site, the hash shards being written since the publish started.
    var shardPrefill: ShardPrefill?
    /// In a fresh site, a flush of the document files started once they were written.
    var earlyFlush: Pending<Void>?
    /// The CAs being unlocked for new CRLs (by generation), and per CA the
    /// rule to issue its CRL by and its previous CRL.
    var pendingCAs: Pending<[Int: CertificateAuthority]>?
    /// The issuance log's key, being unlocked on another core when the log has grown.
    var pendingLogKey: Pending<LogKey>?
    /// The new manifest's bytes, encoded on another core while the changed files are written.
    var pendingManifest: Pending<Data>?
    /// The site pages (`index.html`, statistics, …), rendered on another core while the documents are planned.
    var pendingSitePages: Pending<[(String, Data)]>?
    /// The hash index shards being built (their numbers and bytes) while the documents are rendered.
    var pendingShards: Pending<(numbers: [Int], files: [PlannedFile])>?
    /// The issuance events and the log built from them, on another core while the documents are read.
    var pendingLog: Pending<([IssuanceEvent], IssuanceLogFiles.Prepared)>?
    var crlPolicies: [Int: CRLPolicy] = [:]
    var crlPrevious: [Int: CRL] = [:]
    /// Each CA's CRL for this publish, by generation.
    var crls: [Int: CRL] = [:]
    /// Generations whose CRL was signed in this publish.
    var crlsIssued: Set<Int> = []
    /// The current CA's CRL.
    var crl: CRL { crls[source.authorities.last!.generation]! }
    var crlIssued: Bool { !crlsIssued.isEmpty }
    /// Every file of the site by relative path, except the hash index shards.
    var planned: [String: PlannedFile] = [:]
    /// The hash index's layout (how many shards), chosen from the documents.
    var hashLayout = HashIndex.Layout.shards65536
    /// The hash index's entries, from which `hashLayout` is chosen.
    var hashEntries = 0
    /// The hash index shards by number (`hashLayout.allShardPaths`): up to 65,536
    /// files that are cheaper to keep in an array than under their paths.
    var shards: [PlannedFile] = []
    /// Token → fingerprint of the inputs of its files.
    var documentFingerprints: [String: String] = [:]
    /// Token → what decides whether it is read again, and its index shards (`DocumentChange`).
    var changeKeys: [String: String] = [:]
    /// Per document of `summaries`, what the previous publish left of it, when it left all its files.
    var previousDocuments: [PreviousDocument?] = []
    /// Token → its hash index entries (the id, and what the entry is encrypted
    /// under: the file's hash or a lookup code's), for the documents
    /// `planDocuments` did not keep unread.
    var indexKeys: [String: [(id: String, fileHash: Data)]] = [:]
    /// Per shard of `hashLayout`, whether `buildHashIndex` builds it again
    /// (every document it holds was read whole).
    var dirtyShards: [Bool] = []
    /// Indices into `documents` of those whose files must be rendered.
    var documentsToRender: [Int] = []
    var renderedDocuments = 0
    /// The issuance log of this publish (`buildIssuanceLog`), and each
    /// document's issuance entry in it, by token.
    var issuanceLog: IssuanceLogFiles.Built?
    var logIndexes: [String: Int] = [:]
    /// Each signature's issuance entry, by certificate serial (lowercase hex).
    var signatureLogIndexes: [String: Int] = [:]

    /// Where a document's issuance entry sits, cheaply (no proof).
    func logPlace(_ token: String) throws -> IssuanceLogFiles.Place? {
        try logIndexes[token].flatMap { try issuanceLog?.place($0) }
    }

    /// Where each signer's entry sits, for a document with several (else empty).
    func signatureLogPlaces(serials: [String]) throws -> [IssuanceLogFiles.Place?] {
        try PublishedDocumentSummary.signatureLogIndexes(serials: serials, signatureLogIndexes)
            .map { try $0.flatMap { try issuanceLog?.place($0) } }
    }

    // Results.
    var written: [String] = []
    var deleted: [String] = []
    var unchanged = 0
    var stepTimes: [PublishSummary.StepTime] = []

    init(source: PublishSource, options: PublishOptions, writer: SiteWriter, fresh: Bool) {
        self.source = source
        self.options = options
        self.writer = writer
        self.fresh = fresh
        existing = ExistenceIndex(root: options.site)
        planned.reserveCapacity(32_768)
    }

    /// Files of the site, shards included.
    var fileCount: Int { planned.count + shards.count }

    var siteName: String { authority.name }
    /// No trailing slash.
    var baseURL: String {
        var url = authority.baseURL
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    func plan(_ path: String, _ file: PlannedFile) {
        planned[path] = file
    }

    func plan(_ path: String, data: Data) {
        planned[path] = .data(data)
    }

    func report(_ completed: Int, of total: Int) {
        options.progress?(PublishProgress(step: currentStep, completed: completed, total: total))
    }
}
