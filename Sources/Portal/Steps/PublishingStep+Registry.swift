import Foundation
import Registry

extension PublishingStep {
    /// Reads the authority, every signed document and the time of the latest
    /// change, from one registry snapshot per query.
    static let readRegistry = PublishingStep("Read the registry") { context in
        let registry = context.source.registry
        // A log that has grown needs its key: its passphrase derivation (slow
        // on purpose) runs on the other core while the registry is read.
        if let log = context.source.log,
           try registry.issuanceEventCount() != IssuanceLogFiles.latestKeptSize(in: log.checkpoints) {
            context.pendingLogKey = Pending { try log.unlock() }
        }
        // The log's events are read on another core, from a snapshot no older than the documents'.
        let snapshot = DispatchSemaphore(value: 0)
        startIssuanceLog(context, after: snapshot)
        defer { snapshot.signal() }
        guard let authority = try registry.authority() else {
            throw PortalError(.registry, "the registry at \(registry.databaseURL.path) has no authority; run `segel init`")
        }
        context.authority = authority
        let published = try registry.allPublishedDocuments(afterSnapshot: { snapshot.signal() })
        let lastChange = try registry.lastChangeAt()

        var documents: [SiteDocument] = []
        documents.reserveCapacity(published.count)
        for item in published {
            guard let document = SiteDocument(item, baseURL: context.baseURL) else {
                continue
            }
            guard SiteDocument.isSafeToken(document.token) else {
                throw PortalError(.registry, "the token \"\(document.token)\" is not a URL-safe token; it cannot name a file")
            }
            // Checked before anything is written: the pages, the PDF's check and the hash index rely on it.
            guard document.fileHash.count == 32 else {
                throw PortalError(.registry, "the signed PDF hash of token \(document.token) is not a SHA-256")
            }
            documents.append(document)
        }
        context.documents = documents
        context.asOf = lastChange ?? authority.createdAt
        // The hash index's size follows its entries: each document's file, and each signer's lookup code.
        let entries = documents.reduce(0) { $0 + 1 + $1.lookupCodes.count }
        context.hashEntries = entries
        let layout = context.options.indexLayout ?? HashIndex.Layout.forEntries(entries)
        context.hashLayout = layout
        context.plan(HashIndex.Layout.path, data: layout.json)
        if context.fresh, layout == .shards65536 {
            // Tens of thousands of mostly empty shards: put in place while the pages render.
            context.shardPrefill = ShardPrefill.start(writer: context.writer, layout: layout)
        }
    }
}

extension SiteDocument {
    /// Tokens name files and URL path segments: base64url, 16–200 characters
    /// (the pattern verify.js also checks).
    static func isSafeToken(_ token: String) -> Bool {
        (16...200).contains(token.utf8.count) && token.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x5F
        }
    }
}
