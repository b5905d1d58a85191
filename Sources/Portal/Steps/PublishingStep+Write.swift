import Foundation
import PKI

extension PublishingStep {
    /// Writes every planned file whose hash differs from the previous
    /// manifest's (or that is missing), then deletes the files the previous
    /// manifest listed and this publish does not produce.
    static let writeChanges = PublishingStep("Write changed files") { context in
        let previous = context.previous?.files ?? [:]
        let checkFiles = context.options.checkExistingFiles
        let writer = context.writer
        try adoptEmptyShards(context)
        var toWrite: [(String, PlannedFile)] = []
        var written: [String] = []
        var unchanged = 0
        for (path, file) in context.planned {
            if case .written = file.source {
                written.append(path)
                continue
            }
            if previous[path] == file.sha256 {
                if case .previous = file.source {
                    // Checked for existence when the document was planned.
                    unchanged += 1
                    continue
                }
                if !checkFiles || context.existing.exists(path) {
                    unchanged += 1
                    continue
                }
            }
            guard case .previous = file.source else {
                toWrite.append((path, file))
                continue
            }
            throw PortalError(.integrity, "\(path) changed since the last publish but was not rendered again", path: path)
        }
        toWrite.sort { $0.0 < $1.0 }

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

        let removed = previous.keys.filter { context.planned[$0] == nil && $0 != Manifest.fileName }.sorted()
        for path in removed {
            guard Self.isInsideSite(path) else { continue }
            try writer.remove(path)
        }
        written += toWrite.map(\.0)
        context.written = written.sorted()
        context.deleted = removed
        context.unchanged = unchanged
    }

    /// In a fresh site: the empty shards the linker put in place are written.
    /// A shard it linked before the hash index knew it holds entries is left
    /// to be written over.
    private static func adoptEmptyShards(_ context: PublishingContext) throws {
        guard let linker = context.emptyShards else { return }
        let linked = try linker.wait()
        let empty = Digest.hex(Digest.sha256(HashIndex.emptyShard))
        for (number, path) in HashIndex.allShardPaths.enumerated() where linked[number] {
            if let file = context.planned[path], file.sha256 == empty {
                context.plan(path, PlannedFile(source: .written, sha256: empty))
            }
        }
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
        let manifest = Manifest(files: context.planned.mapValues(\.sha256), documents: context.documentFingerprints)
        if manifest == context.previous && context.writer.exists(Manifest.fileName) { return }
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
        let data = manifest.encoded()
        try flushed.wait()
        // Not synced itself: a lost manifest only means the next publish compares
        // with the previous one, rewrites a few more files and deletes the same ones.
        try writer.write(data, sha256: Digest.hex(Digest.sha256(data)), to: Manifest.fileName, twins: false,
                         wholeOrNothing: true)
    }

    /// A path from a manifest is only ever deleted when it stays inside the
    /// site folder: relative, with no `..` or empty segment.
    static func isInsideSite(_ path: String) -> Bool {
        !path.hasPrefix("/") && !path.split(separator: "/", omittingEmptySubsequences: false)
            .contains { $0.isEmpty || $0 == "." || $0 == ".." }
    }
}
