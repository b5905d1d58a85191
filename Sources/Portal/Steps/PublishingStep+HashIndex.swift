import Foundation
import Record
import PKI

extension PublishingStep {
    /// Every shard of `api/hash/` in the layout the document count calls for
    /// (`HashIndex.Layout`; a change of layout rebuilds them all, and the old
    /// shards are deleted like any file no longer planned): the entries of every signed PDF,
    /// encrypted under keys derived from the PDF's own hash, and empty shards
    /// everywhere else so that a missing shard means an error, never "unknown".
    ///
    /// An entry is made from the document's token, name, status, signing time,
    /// page, issuance log index and size, signers and hash, all of which its
    /// fingerprint covers. So on a republish only
    /// the shards `planDocuments` marked are rebuilt — those holding a
    /// document it read, or missing; all of them when there is no manifest, a
    /// document disappeared or the layout changed — from the documents it
    /// read whole; the others keep the previous manifest's hash. In a fresh
    /// site the shards are already being written (`ShardPrefill`), and get
    /// the ones built as soon as they are (`startHashIndex`).
    static let buildHashIndex = PublishingStep("Build the hash index") { context in
        let layout = context.hashLayout
        let count = layout.shardCount
        let dirty = context.dirtyShards
        guard dirty.count == count else {
            throw PortalError(.integrity, "the hash index was not planned (\(dirty.count) of \(count) shards)")
        }
        guard let pending = context.pendingShards else {
            throw PortalError(.integrity, "the hash index shards were not started after planning")
        }
        let (rebuild, built) = try pending.wait()

        // A shard to build that holds no entry is empty; one not built keeps its previous hash.
        let empty = PlannedFile.data(HashIndex.emptyShard)
        var shards = [PlannedFile](repeating: empty, count: count)
        if let previous = context.previous {
            for number in 0..<count where !dirty[number] {
                guard let sha256 = previous.files[layout.allShardPaths[number]] else {
                    throw PortalError(.integrity, "the hash index shard \(layout.allShardPaths[number]) was neither kept nor built")
                }
                shards[number] = PlannedFile(source: .previous, sha256: sha256)
            }
        }
        for (number, file) in zip(rebuild, built) { shards[number] = file }
        context.shards = shards
    }

    /// Builds the shards `planDocuments` marked on other cores while the
    /// documents are rendered (it starts this once it has planned them):
    /// the entries are CPU work, and the pages leave cores idle while the
    /// file system creates their files. `buildHashIndex` collects them: the
    /// shard numbers built, ascending, and their bytes.
    static func startHashIndex(_ context: PublishingContext) {
        let layout = context.hashLayout
        let dirty = context.dirtyShards
        // Every entry of the shards to build, with the document it belongs to:
        // `planDocuments` read whole every document with an entry there.
        let documents = context.documents
        let summaries = context.summaries
        let computed = context.indexKeys
        // The issuance entry's place, for the documents of the shards rebuilt only.
        let log = context.issuanceLog, logIndexes = context.logIndexes
        let prefill = context.shardPrefill
        context.pendingShards = Pending {
            let byToken = Dictionary(summaries.map { ($0.token, $0) }, uniquingKeysWith: { first, _ in first })
            let keyed = try Parallel.map(documents.count) { index -> [(number: Int, fileHash: Data)] in
                let token = documents[index].token
                guard let entries = computed[token] ?? byToken[token]?.indexKeys else {
                    throw PortalError(.integrity, "the document with token \(token) has no summary")
                }
                return entries.map { (layout.shardNumber(id: $0.id), $0.fileHash) }.filter { dirty[$0.number] }
            }
            var members: [Int: [(document: SiteDocument, fileHash: Data)]] = [:]
            for (index, entries) in keyed.enumerated() {
                for entry in entries { members[entry.number, default: []].append((documents[index], entry.fileHash)) }
            }
            let rebuild = members.keys.sorted()
            let groups = rebuild.map { members[$0]! }
            let built = try Parallel.map(rebuild.count) { slot -> PlannedFile in
                let entries = try groups[slot].map { member -> HashIndex.Entry in
                    let document = member.document
                    let logIndex = logIndexes[document.token]
                    let keys = document.published.keys
                    let signers = keys.count > 1 ? zip(keys, document.published.signers).map { key, approver in
                        HashIndex.Record.Signer(name: approver.name, signedAt: ISOTime.string(from: key.signedAt ?? document.signedAt),
                                                state: key.signerState)
                    } : nil
                    let record = HashIndex.Record(token: document.token, name: document.request.documentName,
                                                  status: document.status, signedAt: ISOTime.string(from: document.signedAt),
                                                  page: document.address.page, logIndex: logIndex,
                                                  logSize: logIndex.flatMap { log?.provenAt($0) }, signers: signers)
                    return try HashIndex.entry(fileHash: member.fileHash, record: record)
                }
                return .data(try HashIndex.shardData(entries))
            }
            // A fresh site's shards being written get these from now on, not the empty one.
            prefill?.provide(Dictionary(uniqueKeysWithValues: zip(rebuild, built)))
            return (rebuild, built)
        }
    }
}
