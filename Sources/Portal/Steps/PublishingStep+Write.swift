import Foundation
import PKI

extension PublishingStep {
    /// Writes every planned file whose hash differs from the previous
    /// manifest's (or that is missing), then deletes the files the previous
    /// manifest listed and this publish does not produce.
    static let writeChanges = PublishingStep("Write changed files") { context in
        let previous = context.previous?.files ?? [:]
        if context.renderedDocuments > 0 || context.previous == nil {
            // Documents were rendered, so the manifest changes: encode it on another core from the start.
            context.pendingManifest = manifestData(context)
        }
        let checkFiles = context.options.checkExistingFiles
        let writer = context.writer
        var toWrite: [(String, PlannedFile)] = []
        var written: [String] = []
        var unchanged = 0
        var listedAgain = 0
        func consider(_ path: String, _ file: PlannedFile) throws {
            if case .written = file.source {
                written.append(path)
                return
            }
            if case .previous = file.source {
                // Taken from the previous manifest's entry, and checked for existence when it was planned.
                unchanged += 1
                listedAgain += 1
                return
            }
            let listed = previous[path]
            if listed != nil { listedAgain += 1 }
            if listed == file.sha256 {
                if !checkFiles || context.existing.exists(path) {
                    unchanged += 1
                    return
                }
            }
            toWrite.append((path, file))
        }
        for (path, file) in context.planned { try consider(path, file) }
        written.sort()
        toWrite.sort { $0.0 < $1.0 }
        // Shards come in path order, after the other files were sorted.
        let shardsFrom = (written: written.count, toWrite: toWrite.count)
        let prefilled = try context.shardPrefill?.wait()
        for (number, file) in context.shards.enumerated() {
            // In a fresh site the shard is in place already, unless it got the
            // empty one before the hash index knew it holds entries.
            if let prefilled, prefilled[number] == file.sha256 {
                written.append(context.hashLayout.allShardPaths[number])
            } else {
                try consider(context.hashLayout.allShardPaths[number], file)
            }
        }
        written = mergeSorted(Array(written[..<shardsFrom.written]), Array(written[shardsFrom.written...])) { $0 }
        toWrite = mergeSorted(Array(toWrite[..<shardsFrom.toWrite]), Array(toWrite[shardsFrom.toWrite...])) { $0.0 }

        if context.pendingManifest == nil, !toWrite.isEmpty || !written.isEmpty || listedAgain != previous.count {
            // The manifest will change: encode it on another core while the files are written.
            context.pendingManifest = manifestData(context)
        }

        let total = toWrite.count
        let progress = ProgressTicker(context: context, total: total)
        // One folder per task: creating files in one folder from two threads
        // contends for the folder's lock and is slower than one thread.
        var folders: [[(String, PlannedFile)]] = []
        var currentFolder: Substring?
        for item in toWrite {
            let folder = item.0.lastIndex(of: "/").map { item.0[..<$0] } ?? ""
            if folder != currentFolder || folders.isEmpty {
                folders.append([])
                currentFolder = folder
            }
            folders[folders.count - 1].append(item)
        }
        let work = folders
        // A few files: fsync each and its folder. Many: one flush before the manifest.
        let durable = total + written.count <= Self.fileByFileSyncLimit
        try Parallel.forEach(work.count) { index in
            for (path, file) in work[index] {
                try write(file, to: path, with: writer, durable: durable)
                progress.tick()
            }
        }
        context.report(total, of: total)

        // Every path of the previous manifest that is planned again was looked up above.
        let removed = listedAgain == previous.count ? [] : previous.keys.filter { path in
            path != Manifest.fileName && context.planned[path] == nil && context.hashLayout.shardNumber(path: path) == nil
        }.sorted()
        for path in removed {
            guard Self.isInsideSite(path) else { continue }
            try writer.remove(path)
        }
        context.written = mergeSorted(written, toWrite.map(\.0)) { $0 }
        context.deleted = removed
        context.unchanged = unchanged
    }

    static let fileByFileSyncLimit = 256

    private static func write(_ file: PlannedFile, to path: String, with writer: SiteWriter, durable: Bool) throws {
        switch file.source {
        case .data(let data):
            try writer.write(data, sha256: file.sha256, to: path, durable: durable)
        case .copy(let url):
            try copySignedPDF(url, sha256: file.sha256, to: path, with: writer, durable: durable)
        case .previous, .written:
            break
        }
    }

    /// Then the manifest, once everything it lists is durable.
    static let writeManifest = PublishingStep("Write the manifest") { context in
        if let previous = context.previous, context.written.isEmpty, previous.files.count == context.fileCount,
           previous.documents == context.documentFingerprints, previous.changes == context.changeKeys,
           context.writer.exists(Manifest.fileName) {
            // Nothing was written, so every file has its previous hash: the manifest is the same.
            return
        }
        let changed = context.written + context.deleted
        let writer = context.writer
        // The manifest is encoded while the file system is flushed.
        let flushed = Pending<Void> {
            if changed.count > Self.fileByFileSyncLimit {
                writer.flush()
            } else if !changed.isEmpty {
                writer.syncFolders(Set(changed.map { path in
                    path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
                }))
            }
        }
        let data = try (context.pendingManifest ?? manifestData(context)).wait()
        try context.earlyFlush?.wait()
        try flushed.wait()
        // Not synced itself: a lost manifest only means the next publish compares
        // with the previous one, rewrites a few more files and deletes the same ones.
        try writer.write(data, sha256: Digest.hex(Digest.sha256(data)), to: Manifest.fileName, twins: false,
                         wholeOrNothing: true)
    }

    /// The new manifest's bytes, encoded on other cores (its files on one,
    /// the documents' fingerprints and change keys on another): every planned
    /// file and shard with its hash, and the fingerprints.
    private static func manifestData(_ context: PublishingContext) -> Pending<Data> {
        let planned = context.planned, shardFiles = context.shards, paths = context.hashLayout.allShardPaths
        let fingerprints = context.documentFingerprints, changes = context.changeKeys
        let previous = context.previous
        @Sendable func files() -> [(String, String)] {
            let others: [(String, String)]
            if let previous, let order = previous.sortedPaths {
                // The paths listed before keep their order (sorted); the new ones are sorted and merged in.
                var listed: [(String, String)] = []
                listed.reserveCapacity(planned.count)
                for path in order { if let file = planned[path] { listed.append((path, file.sha256)) } }
                // A file taken from the previous manifest (`.previous`) is listed there by definition.
                let added = listed.count == planned.count ? [] : planned.filter { path, file in
                    if case .previous = file.source { return false }
                    return previous.files[path] == nil
                }.map { ($0.key, $0.value.sha256) }.sorted { $0.0 < $1.0 }
                others = mergeSorted(listed, added) { $0.0 }
            } else {
                others = planned.map { ($0.key, $0.value.sha256) }.sorted { $0.0 < $1.0 }
            }
            let shards = shardFiles.enumerated().map { (paths[$0.offset], $0.element.sha256) }
            return mergeSorted(others, shards) { $0.0 }
        }
        return Pending {
            let sections = try Parallel.map(3) { part -> [UInt8] in
                switch part {
                case 0: Manifest.section(files())
                case 1: Manifest.section(fingerprints)
                default: Manifest.section(changes)
                }
            }
            return Manifest.assemble(files: sections[0], documents: sections[1], changes: sections[2])
        }
    }

    /// Two arrays sorted by `key` as one sorted array.
    static func mergeSorted<T>(_ first: [T], _ second: [T], by key: (T) -> String) -> [T] {
        var out: [T] = []
        out.reserveCapacity(first.count + second.count)
        var i = 0, j = 0
        while i < first.count && j < second.count {
            if key(second[j]) < key(first[i]) {
                out.append(second[j])
                j += 1
            } else {
                out.append(first[i])
                i += 1
            }
        }
        out.append(contentsOf: first[i...])
        out.append(contentsOf: second[j...])
        return out
    }

    /// A path from a manifest is only ever deleted when it stays inside the
    /// site folder: relative, with no `..` or empty segment.
    static func isInsideSite(_ path: String) -> Bool {
        !path.hasPrefix("/") && !path.split(separator: "/", omittingEmptySubsequences: false)
            .contains { $0.isEmpty || $0 == "." || $0 == ".." }
    }
}
