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
    /// An entry is made from the document's token, name, status, signing time
    /// and hash, all of which its fingerprint covers. So on a republish only
    /// the shards holding a document whose files were rendered again are
    /// rebuilt; the others keep the previous manifest's hash (after a check
    /// that the file is still there). Anything unusual — no manifest, a
    /// document that disappeared, a shard the manifest does not list —
    /// rebuilds them all. In a fresh site the shards are already being written
    /// (`ShardPrefill`); this step hands over the ones it built.
    static let buildHashIndex = PublishingStep("Build the hash index") { context in
        let documents = context.documents
        // Each document is entered under its file's hash and under each signer's lookup code.
        let keyed = try Parallel.map(documents.count) { index -> [(id: String, fileHash: Data)] in
            // A SHA-256: `readRegistry` refused anything else.
            let fileHash = documents[index].fileHash
            var keys = [(HashIndex.id(fileHash: fileHash), fileHash)]
            // Every signer's stamp prints its own code; each leads to the document.
            for code in documents[index].lookupCodes {
                let codeHash = HashIndex.codeHash(code)
                keys.append((HashIndex.id(fileHash: codeHash), codeHash))
            }
            return keys
        }
        let ids = keyed.flatMap { $0 }
        let owner = keyed.enumerated().flatMap { index, keys in keys.map { _ in index } }
        let layout = context.hashLayout
        let numbers = ids.map { layout.shardNumber(id: $0.id) }
        var members: [Int: [Int]] = [:]
        for (index, number) in numbers.enumerated() { members[number, default: []].append(index) }

        let count = layout.shardCount
        var dirty: [Bool]
        let previous = context.previous
        let tokens = Set(documents.map(\.token))
        if let previous, previous.documents.keys.allSatisfy(tokens.contains),
           layout.allShardPaths.allSatisfy({ previous.files[$0] != nil }) {
            dirty = [Bool](repeating: false, count: count)
            for index in ids.indices where context.changedTokens.contains(documents[owner[index]].token) {
                dirty[numbers[index]] = true
            }
            if context.options.checkExistingFiles {
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
        } else {
            dirty = [Bool](repeating: true, count: count)
        }

        // The issuance entry's place, for the documents of the shards rebuilt only.
        let log = context.issuanceLog, logIndexes = context.logIndexes
        let rebuild = members.keys.filter { dirty[$0] }.sorted()
        let groups = rebuild.map { members[$0]! }
        let built = try Parallel.map(rebuild.count) { slot -> PlannedFile in
            let entries = try groups[slot].map { index -> HashIndex.Entry in
                let document = documents[owner[index]]
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
                return try HashIndex.entry(fileHash: ids[index].fileHash, record: record)
            }
            return .data(try HashIndex.shardData(entries))
        }

        let empty = PlannedFile.data(HashIndex.emptyShard)
        var shards = [PlannedFile](repeating: empty, count: count)
        if let previous {
            for number in 0..<count where !dirty[number] {
                shards[number] = PlannedFile(source: .previous, sha256: previous.files[layout.allShardPaths[number]]!)
            }
        }
        for (number, file) in zip(rebuild, built) { shards[number] = file }
        context.shards = shards
        context.shardPrefill?.provide(Dictionary(uniqueKeysWithValues: zip(rebuild, built)))
    }
}
