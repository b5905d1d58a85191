import Foundation
import PKI

/// In a publish with no manifest, writes the hash index shards on a thread
/// of its own from the moment the publish starts, while the registry is read
/// and the pages are rendered: about 60,000 of the 65,536 shards are empty,
/// and putting them in place (as links to one file) is the largest piece of
/// file system work of a first publish; done as a step of its own, it would
/// leave a core idle while the registry is read.
///
/// Shards go in path order. Until the hash index step has built the shards
/// that hold entries (`provide`), every shard gets the empty one; after
/// that, the built ones are written instead, and at the end those that got
/// the empty one too early are written again. If the shards are built only
/// after all that, `writeChanges`, which runs after `wait()`, writes them.
final class ShardPrefill: @unchecked Sendable {
    private var built: [Int: PlannedFile]?
    private var cancelled = false
    private let lock = NSLock()
    private var work: Pending<[String?]>!
    private let layout: HashIndex.Layout

    private init(layout: HashIndex.Layout) {
        self.layout = layout
    }

    /// Starts writing the shards of `layout` into the site of `writer`.
    static func start(writer: SiteWriter, layout: HashIndex.Layout) -> ShardPrefill {
        let prefill = ShardPrefill(layout: layout)
        prefill.work = Pending { try prefill.run(writer) }
        return prefill
    }

    /// The shards that hold entries, by number (`HashIndex.shardNumber`), each
    /// a `.data` file; written instead of the empty shard from now on.
    func provide(_ shards: [Int: PlannedFile]) {
        lock.withLock { built = shards }
    }

    /// Stops writing soon (the publish failed): nothing must be written once
    /// the site lock is released.
    func cancel() {
        lock.withLock { cancelled = true }
    }

    /// Waits for the writing; for each shard number, the SHA-256 of what was written there.
    func wait() throws -> [String?] {
        try work.wait()
    }

    private func run(_ writer: SiteWriter) throws -> [String?] {
        let empty = HashIndex.emptyShard, emptySHA256 = HashIndex.emptyShardSHA256
        var written = [String?](repeating: nil, count: layout.shardCount)
        for (number, path) in layout.allShardPaths.enumerated() {
            let (file, stop) = lock.withLock { (built?[number], cancelled) }
            if stop { throw CancellationError() }
            if let file, case .data(let data) = file.source {
                try writer.write(data, sha256: file.sha256, to: path, twins: false)
                written[number] = file.sha256
            } else {
                try writer.write(empty, sha256: emptySHA256, to: path)
                written[number] = emptySHA256
            }
        }
        // The shards that got the empty one before their entries were known:
        // put right here, while the pages are still being rendered.
        let late: [Int: PlannedFile] = lock.withLock { built } ?? [:]
        for (number, file) in late where written[number] != file.sha256 {
            guard case .data(let data) = file.source else { continue }
            try writer.write(data, sha256: file.sha256, to: layout.allShardPaths[number], twins: false)
            written[number] = file.sha256
        }
        return written
    }
}
