import Foundation
import PKI

extension PublishingStep {
    /// All 65,536 shards of `api/hash/`: the entries of every signed PDF,
    /// encrypted under keys derived from the PDF's own hash, and empty shards
    /// everywhere else so that a missing shard means an error, never "unknown".
    ///
    /// An entry is made from the document's token, name, status, signing time
    /// and hash, all of which its fingerprint covers. So on a republish only
    /// the shards holding a document whose files were rendered again are
    /// rebuilt; the others keep the previous manifest's hash (after a check
    /// that the file is still there). Anything unusual — no manifest, a
    /// document that disappeared, a shard the manifest does not list —
    /// rebuilds them all. In a fresh site the empty shards are already being
    /// linked (`EmptyShardLinker`); this step tells the linker which shards
    /// to leave alone as soon as it knows.
    static let buildHashIndex = PublishingStep("Build the hash index") { context in
        let documents = context.documents
        let ids = try Parallel.map(documents.count) { index -> (id: String, fileHash: Data) in
            guard let fileHash = Digest.data(fromHex: documents[index].sha256), fileHash.count == 32 else {
                throw PortalError(.registry, "the signed PDF hash of token \(documents[index].token) is not a SHA-256")
            }
            return (HashIndex.id(fileHash: fileHash), fileHash)
        }
        context.emptyShards?.skip(Set(ids.map { HashIndex.shardNumber(id: $0.id) }))
        var members: [String: [Int]] = [:]
        for (index, item) in ids.enumerated() { members[HashIndex.shardPath(id: item.id), default: []].append(index) }

        var dirty: Set<String>
        let previous = context.previous
        let tokens = Set(documents.map(\.token))
        if let previous, previous.documents.keys.allSatisfy(tokens.contains),
           HashIndex.allShardPaths.allSatisfy({ previous.files[$0] != nil }) {
            dirty = Set(documents.indices.filter { context.changedTokens.contains(documents[$0].token) }
                .map { HashIndex.shardPath(id: ids[$0].id) })
            if context.options.checkExistingFiles {
                let names = (0..<256).map { String(format: "%02x.json", $0) }
                for first in 0..<256 {
                    let folder = String(format: "api/hash/%02x", first)
                    let present = context.existing.names(in: folder)
                    for name in names where !present.contains(name) { dirty.insert("\(folder)/\(name)") }
                }
            }
        } else {
            dirty = Set(HashIndex.allShardPaths)
        }

        let rebuild = dirty.filter { members[$0] != nil }.sorted()
        let groups = rebuild.map { members[$0]! }
        let shards = try Parallel.map(rebuild.count) { slot -> Data in
            let entries = try groups[slot].map { index -> HashIndex.Entry in
                let document = documents[index]
                let record = HashIndex.Record(token: document.token, name: document.request.documentName,
                                              status: document.status, signedAt: ISODate.string(document.signedAt))
                return try HashIndex.entry(fileHash: ids[index].fileHash, record: record)
            }
            return try HashIndex.shardData(entries)
        }
        for (path, data) in zip(rebuild, shards) { context.plan(path, data: data) }

        let empty = PlannedFile.data(HashIndex.emptyShard)
        for path in HashIndex.allShardPaths where context.planned[path] == nil {
            if dirty.contains(path) || previous == nil {
                context.plan(path, empty)
            } else {
                context.plan(path, PlannedFile(source: .previous, sha256: previous!.files[path]!))
            }
        }
    }
}
