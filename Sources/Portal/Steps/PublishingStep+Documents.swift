import Foundation
import PKI
import Record

extension PublishingStep {
    /// Finds, for each document, what the previous publish recorded of it
    /// and whether every file it had is still there (`PreviousDocument`):
    /// the file system's part of planning, done while the issuance log's key
    /// is being unlocked, before `planDocuments` can compare change keys.
    static let checkPreviousFiles = PublishingStep("Check the previous files") { context in
        guard let previous = context.previous else { return }
        let checkFiles = context.options.checkExistingFiles
        let existing = context.existing
        let privatePDFs = context.options.privatePDFs, otherLocale = context.options.locale.other
        let summaries = context.summaries, baseURL = context.baseURL
        if checkFiles { existing.prefetch(["api/verify", "cert", "d"]) }
        context.previousDocuments = try Parallel.map(summaries.count) { index -> PreviousDocument? in
            let summary = summaries[index]
            guard previous.documents[summary.token] != nil,
                  let recorded = previous.changes[summary.token].flatMap(DocumentChange.init),
                  let kept = keptPaths(summary.address(baseURL: baseURL), previous: previous, existing: existing,
                                       checkFiles: checkFiles, privatePDFs: privatePDFs, otherLocale: otherLocale)
            else { return nil }
            return PreviousDocument(change: recorded, kept: kept)
        }
    }

    /// The paths a document keeps, with their hashes: all it had, if the
    /// previous manifest lists them all and they are all still there; else nil.
    static func keptPaths(_ address: DocumentAddress, previous: Manifest, existing: ExistenceIndex, checkFiles: Bool,
                          privatePDFs: Bool, otherLocale: PortalLocale) -> [(String, String)]? {
        var kept: [(String, String)] = []
        for path in documentPaths(address, privatePDFs: privatePDFs, otherLocale: otherLocale) {
            guard let sha256 = previous.files[path], !checkFiles || existing.exists(path) else { return nil }
            kept.append((path, sha256))
        }
        return kept
    }

    /// Decides which documents to read whole and which to render. A document
    /// whose change key (`DocumentFingerprint.changeKey`) the previous
    /// manifest recorded, and whose files are all still there, keeps them
    /// without being read. The others are read whole, with every document
    /// sharing a hash index shard with one (`buildHashIndex` builds those
    /// shards again); of these, a document whose fingerprint is the previous
    /// one, and whose files are all still there, keeps its files without being rendered.
    static let planDocuments = PublishingStep("Plan document pages") { context in
        let site = DocumentFingerprint.site(templates: context.templates, options: context.options,
                                            siteName: context.siteName, baseURL: context.baseURL)
        let previous = context.previous
        let checkFiles = context.options.checkExistingFiles
        let existing = context.existing
        let privatePDFs = context.options.privatePDFs, otherLocale = context.options.locale.other
        let summaries = context.summaries
        let places = try summaries.map { try context.logPlace($0.token) }
        let signaturePlaces = try summaries.map { try context.signatureLogPlaces(serials: $0.keys.map(\.serialHex)) }
        let previousDocuments = context.previousDocuments
        // 1. Per document, on every core: its change key, the shards its hash
        //    index entries are in, and the files it keeps unread (nil: read it).
        //    A document kept unread has the shards the previous manifest
        //    recorded with its key: they are made of its file's hash and its
        //    lookup codes, which its key covers.
        //    A document that is read leaves the shards it was in too: its
        //    file's hash or its codes may have changed (a key added by hand).
        //    Where those are unknown (a manifest from before 0.8), nil.
        let outcomes = try Parallel.map(summaries.count) { index
            -> (key: String, shards: [String], kept: [(String, String)]?, entries: [(id: String, fileHash: Data)],
                left: [String]?) in
            let summary = summaries[index]
            let key = DocumentFingerprint.changeKey(summary, site: site, log: places[index],
                                                    signatureLogs: signaturePlaces[index])
            if index < previousDocuments.count, let recorded = previousDocuments[index], recorded.change.key == key {
                return (key, recorded.change.shards, recorded.kept, [], [])
            }
            let entries = summary.indexKeys
            let left = previous?.documents[summary.token] == nil ? []
                : previous?.changes[summary.token].flatMap(DocumentChange.init)?.shards
            return (key, entries.map { DocumentChange.shard($0.id) }, nil, entries, left)
        }

        // 2. The hash index shards to build again: those holding a document
        //    that is read or held it before, and any that is missing; all of
        //    them when a document disappeared, the layout changed, there is no
        //    manifest, or a document is read whose shards it does not record.
        let layout = context.hashLayout
        let tokens = Set(summaries.map(\.token))
        var dirty: [Bool]
        if let previous, previous.documents.keys.allSatisfy(tokens.contains),
           layout.allShardPaths.allSatisfy({ previous.files[$0] != nil }),
           !outcomes.contains(where: { $0.kept == nil && $0.left == nil }) {
            dirty = [Bool](repeating: false, count: layout.shardCount)
            for outcome in outcomes where outcome.kept == nil {
                for shard in outcome.shards + (outcome.left ?? []) { dirty[layout.shardNumber(id: shard)] = true }
            }
            if checkFiles { markMissingShards(context, layout: layout, dirty: &dirty) }
        } else {
            dirty = [Bool](repeating: true, count: layout.shardCount)
        }
        context.dirtyShards = dirty

        // 3. Read whole: every document not kept, and every one in a shard to build again.
        if dirty.allSatisfy({ $0 }) {
            try readDocuments(context, ids: nil)
        } else {
            var ids = Set<Int64>()
            for (index, outcome) in outcomes.enumerated()
            where outcome.kept == nil || outcome.shards.contains(where: { dirty[layout.shardNumber(id: $0)] }) {
                ids.insert(summaries[index].id)
            }
            try readDocuments(context, ids: ids)
        }

        // 4. Of the documents read, those not kept unread are fingerprinted:
        //    the same fingerprint and all files still there keep them too.
        var keptUnread: Set<String> = []
        for (index, outcome) in outcomes.enumerated() {
            let token = summaries[index].token
            context.changeKeys[token] = DocumentChange(key: outcome.key, shards: outcome.shards).text
            if outcome.kept == nil { context.indexKeys[token] = outcome.entries }
            if let kept = outcome.kept {
                keptUnread.insert(token)
                context.documentFingerprints[token] = previous?.documents[token]
                for (path, sha256) in kept { context.plan(path, PlannedFile(source: .previous, sha256: sha256)) }
            }
        }
        let documents = context.documents, unread = keptUnread
        let documentPlaces = try documents.map { try context.logPlace($0.token) }
        let documentSignaturePlaces = try documents.map {
            try context.signatureLogPlaces(serials: $0.published.keys.map(\.serialHex))
        }
        let fingerprinted = try Parallel.map(documents.count) { index -> (fingerprint: String, kept: [(String, String)]?)? in
            let document = documents[index]
            guard !unread.contains(document.token) else { return nil }
            let fingerprint = DocumentFingerprint.document(document, site: site, log: documentPlaces[index],
                                                           signatureLogs: documentSignaturePlaces[index])
            guard let previous, previous.documents[document.token] == fingerprint else { return (fingerprint, nil) }
            return (fingerprint, keptPaths(document.address, previous: previous, existing: existing, checkFiles: checkFiles,
                                           privatePDFs: privatePDFs, otherLocale: otherLocale))
        }
        var toRender: [Int] = []
        for (index, document) in documents.enumerated() {
            guard let (fingerprint, kept) = fingerprinted[index] else { continue }
            context.documentFingerprints[document.token] = fingerprint
            if let kept {
                for (path, sha256) in kept { context.plan(path, PlannedFile(source: .previous, sha256: sha256)) }
            } else {
                toRender.append(index)
            }
        }
        context.documentsToRender = toRender
        // Nothing more is read: the snapshot's read transaction ends here, not after the files are written.
        context.snapshot = nil
        startHashIndex(context)
    }

    /// Marks the shards whose file is missing from the site.
    private static func markMissingShards(_ context: PublishingContext, layout: HashIndex.Layout, dirty: inout [Bool]) {
        if layout == .shards65536 {
            let names = (0..<256).map { String(format: "%02x.json", $0) }
            for first in 0..<256 {
                let present = context.existing.names(in: String(format: "api/hash/%02x", first))
                for (second, name) in names.enumerated() where !present.contains(name) {
                    dirty[first << 8 | second] = true
                }
            }
        } else {
            let present = context.existing.names(in: "api/hash")
            for (number, path) in layout.allShardPaths.enumerated()
            where !present.contains(String(path.dropFirst("api/hash/".count))) {
                dirty[number] = true
            }
        }
    }

    /// Per document, at its `DocumentAddress`: `v/<f>/<token>/index.html` in
    /// both languages, `api/verify/<f>/<token>.json`, `cert/<f>/<token>.crt`
    /// (the certificate once: a PEM copy would add a file per document and
    /// nothing else) and (unless PDFs are private) `d/<f>/<token>.pdf`,
    /// for the documents `planDocuments` chose. In a fresh site each
    /// document's files are written as soon as they are rendered, by the
    /// thread that rendered them; otherwise `writeChanges` writes what changed.
    static let renderDocuments = PublishingStep("Render document pages") { context in
        let renderers = context.renderers
        let skeletons = renderers.map { context.templates.defaultPages ? TokenPageSkeletons(renderer: $0) : nil }
        let documents = context.documents
        let privatePDFs = context.options.privatePDFs
        let signedPDF = context.source.signedPDF
        let writer: SiteWriter? = context.fresh ? context.writer : nil
        // Pages written now may show the new checkpoint: kept first.
        if writer != nil, context.issuanceLog?.signedNew == true { try keepLogCheckpoints(context) }
        let indices = context.documentsToRender
        let log = context.issuanceLog
        let logIndexes = context.logIndexes
        let bySerial = context.signatureLogIndexes
        let progress = ProgressTicker(context: context, total: indices.count)
        let rendered = try Parallel.map(indices.count) { slot -> [(String, PlannedFile)] in
            let document = documents[indices[slot]]
            let inclusion = try logIndexes[document.token].flatMap { try log?.inclusion($0) }
            let signatureLogs = try document.signatureLogIndexes(bySerial).map { try $0.flatMap { try log?.inclusion($0) } }
            let files = try renderFiles(document, log: inclusion, signatureLogs: signatureLogs, renderers: renderers,
                                        skeletons: skeletons, privatePDFs: privatePDFs, signedPDF: signedPDF, writer: writer)
            progress.tick()
            return files
        }
        if let writer {
            // Most of the site's bytes are written now: start putting them on
            // disk while the rest is written, so the flush before the manifest is short.
            context.earlyFlush = Pending { writer.flush() }
        }
        for files in rendered {
            for (path, file) in files { context.plan(path, file) }
        }
        context.renderedDocuments = indices.count
        context.report(indices.count, of: indices.count)
    }

    static func documentPaths(_ address: DocumentAddress, privatePDFs: Bool, otherLocale: PortalLocale) -> [String] {
        let pageFile = address.pageFile
        var paths = [pageFile, otherLocale.rawValue + "/" + pageFile, address.record, address.certificate]
        if !privatePDFs { paths.append(address.pdf) }
        return paths
    }

    /// Renders one document's files; with a `writer`, also writes them and
    /// plans them as `.written`.
    private static func renderFiles(_ document: SiteDocument, log: PublishedRecord.LogInclusion?,
                                    signatureLogs: [PublishedRecord.LogInclusion?],
                                    renderers: [PageRenderer], skeletons: [TokenPageSkeletons?],
                                    privatePDFs: Bool,
                                    signedPDF: @Sendable (String) -> URL,
                                    writer: SiteWriter?) throws -> [(String, PlannedFile)] {
        let token = document.token
        let address = document.address
        let certificate: CertificateFacts
        do {
            certificate = try CertificateFacts(key: document.key)
        } catch let error as PortalError {
            throw PortalError(error.code, error.message, path: address.certificate)
        } catch {
            throw PortalError(.integrity, "the certificate of \(document.key.signatureID) (token \(token)) does not parse",
                              path: address.certificate)
        }
        guard certificate.serialHex == document.key.serialHex.lowercased() else {
            throw PortalError(.integrity,
                "the certificate of \(document.key.signatureID) has serial \(certificate.serialHex), the registry says \(document.key.serialHex)",
                path: address.certificate)
        }
        var record = PublishedRecord(document, certificate: certificate, log: log)
        if var signatures = record.signatures {
            for index in signatures.indices where index < signatureLogs.count {
                signatures[index].log = signatureLogs[index]
            }
            record.signatures = signatures
        }
        // What the two languages' pages share is worked out once.
        let common = try PageRenderer.commonTokenValues(document, certificate: certificate, log: log,
                                                        privatePDFs: privatePDFs)
        var contents: [(String, Data)] = try zip(renderers, skeletons).map { renderer, skeleton in
            let values = renderer.tokenValues(document, certificate: certificate, common: common)
            return (renderer.prefix + address.pageFile,
                    try skeleton?.page(document, values: values) ?? renderer.tokenPage(document, values: values))
        }
        contents += [
            (address.record, record.json()),
            (address.certificate, certificate.der),
        ]
        var files: [(String, PlannedFile)] = []
        files.reserveCapacity(5)
        for (path, data) in contents {
            let file = PlannedFile.data(data)
            if let writer {
                try writer.write(data, sha256: file.sha256, to: path, twins: false)
                files.append((path, PlannedFile(source: .written, sha256: file.sha256)))
            } else {
                files.append((path, file))
            }
        }
        if !privatePDFs {
            let path = address.pdf
            let source = signedPDF(token)
            if let writer {
                try copySignedPDF(source, sha256: document.sha256, to: path, with: writer, durable: false)
                files.append((path, PlannedFile(source: .written, sha256: document.sha256)))
            } else {
                files.append((path, PlannedFile(source: .copy(source), sha256: document.sha256)))
            }
        }
        return files
    }

    /// Puts the signed PDF `url` at `path` once its bytes are checked against
    /// the SHA-256 the registry recorded: a hard link where possible (it never
    /// changes once written, so the site can share its inode), else a copy.
    static func copySignedPDF(_ url: URL, sha256: String, to path: String, with writer: SiteWriter,
                              durable: Bool) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw PortalError(.integrity, "the signed PDF \(url.path) is missing or unreadable", path: path)
        }
        guard Digest.hex(Digest.sha256(data)) == sha256 else {
            throw PortalError(.integrity,
                "the signed PDF \(url.path) does not have the SHA-256 the registry recorded (\(sha256))",
                path: path)
        }
        if try !writer.linkExternal(url.path, to: path) {
            try writer.write(data, sha256: sha256, to: path, durable: durable, twins: false)
        }
    }
}

/// What the manifest records of a document beside its fingerprint
/// (`Manifest.changes`): its change key (`DocumentFingerprint.changeKey`),
/// then the first four hex digits of each of its hash index ids — enough to
/// name its shard in any layout — so that a document kept unread need not be
/// hashed again to know which shards hold it. As text: the key and the
/// prefixes, separated by spaces.
struct DocumentChange: Sendable, Hashable {
    let key: String
    let shards: [String]

    /// The part of an index id that is recorded.
    static func shard(_ id: String) -> String { String(id.prefix(4)) }

    init(key: String, shards: [String]) {
        self.key = key
        self.shards = shards
    }

    /// Reads `text`; nil unless it is a 64-digit key and at least one 4-digit
    /// prefix, all lowercase hex, each after one space.
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 69, (bytes.count - 64) % 5 == 0 else { return nil }
        for (index, byte) in bytes.enumerated() {
            let separator = index >= 64 && (index - 64) % 5 == 0
            let hex = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66)
            guard separator ? byte == 0x20 : hex else { return nil }
        }
        key = String(decoding: bytes[..<64], as: UTF8.self)
        shards = stride(from: 65, to: bytes.count, by: 5).map { String(decoding: bytes[$0..<($0 + 4)], as: UTF8.self) }
    }

    var text: String { ([key] + shards).joined(separator: " ") }
}

/// A document as the previous publish left it (`checkPreviousFiles`): what
/// the manifest recorded of it, and its files, all still there.
struct PreviousDocument: Sendable {
    let change: DocumentChange
    let kept: [(String, String)]
}
