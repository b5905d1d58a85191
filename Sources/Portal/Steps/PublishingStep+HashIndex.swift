import Foundation
import PKI

extension PublishingStep {
    /// All 65,536 shards of `api/hash/`: the entries of every signed PDF,
    /// encrypted under keys derived from the PDF's own hash, and empty shards
    /// everywhere else so that a missing shard means an error, never "unknown".
    static let buildHashIndex = PublishingStep("Build the hash index") { context in
        let documents = context.documents
        let entries = try Parallel.map(documents.count) { index -> (String, HashIndex.Entry) in
            let document = documents[index]
            guard let fileHash = Digest.data(fromHex: document.sha256), fileHash.count == 32 else {
                throw PortalError(.registry, "the signed PDF hash of token \(document.token) is not a SHA-256")
            }
            let record = HashIndex.Record(token: document.token, name: document.request.documentName,
                                          status: document.status, signedAt: ISODate.string(document.signedAt))
            let entry = try HashIndex.entry(fileHash: fileHash, record: record)
            return (HashIndex.shardPath(id: entry.id), entry)
        }
        var shards: [String: [HashIndex.Entry]] = [:]
        for (path, entry) in entries { shards[path, default: []].append(entry) }

        let empty = PlannedFile.data(HashIndex.emptyShard)
        for path in HashIndex.allShardPaths {
            if let list = shards[path] {
                context.plan(path, data: try HashIndex.shardData(list))
            } else {
                context.plan(path, empty)
            }
        }
    }
}
