import Foundation
import Registry

extension PublishingStep {
    /// Fixes the registry's state for this publish (`PublishedSnapshot`) and
    /// reads from it the authority, the time of the latest change, every
    /// published document's summary, and in whole the documents that are not
    /// valid (the CRL lists their certificates). `planDocuments` reads the
    /// rest of what it needs from the same state.
    static let readRegistry = PublishingStep("Read the registry") { context in
        let registry = context.source.registry
        // A log that has grown needs its key: its passphrase derivation (slow
        // on purpose) runs beside the registry's reading, at a lower priority
        // (`Pending.Priority.low`), so that it takes what CPU the reading leaves.
        if let log = context.source.log,
           try registry.issuanceEventCount() != IssuanceLogFiles.latestKeptSize(in: log.checkpoints) {
            context.pendingLogKey = Pending(.low) { try log.unlock() }
        }
        guard let authority = try registry.authority() else {
            throw PortalError(.registry, "the registry at \(registry.databaseURL.path) has no authority; run `segel init`")
        }
        context.authority = authority
        let snapshot = try registry.publishedSnapshot()
        context.snapshot = snapshot
        // The log's events are read on another core, from a state no older than the snapshot's.
        startIssuanceLog(context)
        let summaries = try snapshot.summaries()
        for summary in summaries {
            guard SiteDocument.isSafeToken(summary.token) else {
                throw PortalError(.registry, "the token \"\(summary.token)\" is not a URL-safe token; it cannot name a file")
            }
            // Checked before anything is written: the pages, the PDF's check and the hash index rely on it.
            guard summary.fileHash?.count == 32 else {
                throw PortalError(.registry, "the signed PDF hash of token \(summary.token) is not a SHA-256")
            }
        }
        context.summaries = summaries
        try readDocuments(context, ids: Set(summaries.filter { $0.status != .valid }.map(\.id)))
        context.asOf = try snapshot.lastChangeAt() ?? authority.createdAt
        // The hash index's size follows its entries: each document's file, and each signer's lookup code.
        let entries = summaries.reduce(0) { $0 + $1.indexEntryCount }
        context.hashEntries = entries
        let layout = context.options.indexLayout ?? HashIndex.Layout.forEntries(entries)
        context.hashLayout = layout
        context.plan(HashIndex.Layout.path, data: layout.json)
        if context.fresh, layout == .shards65536 {
            // Tens of thousands of mostly empty shards: put in place while the pages render.
            context.shardPrefill = ShardPrefill.start(writer: context.writer, layout: layout)
        }
    }

    /// Reads in whole, from the publish's snapshot, the documents with these
    /// ids that `context.documents` does not hold yet (every document when
    /// nil), and adds them, keeping id order.
    static func readDocuments(_ context: PublishingContext, ids: Set<Int64>?) throws {
        let loaded = Set(context.documents.map(\.published.signature.id))
        let wanted = ids?.subtracting(loaded)
        if wanted?.isEmpty == true { return }
        var documents = context.documents
        for published in try context.snapshot.documents(ids: wanted) where !loaded.contains(published.signature.id) {
            if let document = SiteDocument(published, baseURL: context.baseURL) { documents.append(document) }
        }
        documents.sort { $0.published.signature.id < $1.published.signature.id }
        context.documents = documents
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
