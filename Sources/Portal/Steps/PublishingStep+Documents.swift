import Foundation
import PKI
import Record

extension PublishingStep {
    /// Decides which documents to render: a document whose fingerprint
    /// matches the previous manifest, and whose files are all still there,
    /// keeps its files without being rendered.
    static let planDocuments = PublishingStep("Plan document pages") { context in
        let site = DocumentFingerprint.site(templates: context.templates, options: context.options,
                                            siteName: context.siteName, baseURL: context.baseURL)
        let previous = context.previous
        let checkFiles = context.options.checkExistingFiles
        let existing = context.existing
        let privatePDFs = context.options.privatePDFs, otherLocale = context.options.locale.other
        let documents = context.documents
        let places = documents.map { context.logPlace($0.token) }
        let signaturePlaces = documents.map { context.signatureLogPlaces($0) }
        if previous != nil && checkFiles { existing.prefetch(["api/verify", "cert", "d"]) }
        // Per document, on every core: its fingerprint, and the paths it keeps
        // (nil: render it) — the comparison and the file checks are most of the work.
        let outcomes = try Parallel.map(documents.count) { index -> (fingerprint: String, kept: [(String, String)]?) in
            let document = documents[index]
            let fingerprint = DocumentFingerprint.document(document, site: site, log: places[index],
                                                           signatureLogs: signaturePlaces[index])
            guard let previous, previous.documents[document.token] == fingerprint else { return (fingerprint, nil) }
            var kept: [(String, String)] = []
            for path in documentPaths(document.address, privatePDFs: privatePDFs, otherLocale: otherLocale) {
                guard let sha256 = previous.files[path], !checkFiles || existing.exists(path) else { return (fingerprint, nil) }
                kept.append((path, sha256))
            }
            return (fingerprint, kept)
        }
        var toRender: [Int] = []
        context.documentFingerprints.reserveCapacity(documents.count)
        for (index, document) in documents.enumerated() {
            let (fingerprint, kept) = outcomes[index]
            context.documentFingerprints[document.token] = fingerprint
            if let kept {
                for (path, sha256) in kept { context.plan(path, PlannedFile(source: .previous, sha256: sha256)) }
            } else {
                toRender.append(index)
                if previous != nil { context.changedTokens.insert(document.token) }
            }
        }
        context.documentsToRender = toRender
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
        let indices = context.documentsToRender
        let log = context.issuanceLog
        let logIndexes = context.logIndexes
        let bySerial = context.signatureLogIndexes
        let progress = ProgressTicker(context: context, total: indices.count)
        let rendered = try Parallel.map(indices.count) { slot -> [(String, PlannedFile)] in
            let document = documents[indices[slot]]
            let inclusion = logIndexes[document.token].flatMap { log?.inclusion($0) }
            let signatureLogs = document.signatureLogIndexes(bySerial).map { $0.flatMap { log?.inclusion($0) } }
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
        var paths = [address.pageFile, "\(otherLocale.rawValue)/\(address.pageFile)", address.record, address.certificate]
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
