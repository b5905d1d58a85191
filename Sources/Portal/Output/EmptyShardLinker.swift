import Foundation
import PKI

/// In a publish with no manifest, puts the empty hash index shard at every
/// shard path on a thread of its own from the moment the publish starts,
/// while the registry is read and the pages are rendered. About 60,000 of the
/// 65,536 shards are empty, and linking them is the largest piece of file
/// system work of a first publish; done first, it would keep a core idle
/// while the registry is read.
///
/// Once the hash index step knows which shards hold entries (`skip`), those
/// are no longer linked; one linked before that was known is replaced when
/// the step's shard is written, which happens only after `wait()`.
final class EmptyShardLinker: @unchecked Sendable {
    private var nonEmpty: Set<Int>?
    private let lock = NSLock()
    private var work: Pending<[Bool]>!

    private init() {}

    /// Starts linking into the site of `writer`.
    static func start(writer: SiteWriter) -> EmptyShardLinker {
        let linker = EmptyShardLinker()
        linker.work = Pending { try linker.run(writer) }
        return linker
    }

    /// Shards (by number, `HashIndex.shardNumber`) that hold entries: not linked from now on.
    func skip(_ shards: Set<Int>) {
        lock.withLock { nonEmpty = shards }
    }

    /// Waits for the linking; for each shard number, whether the empty shard was put there.
    func wait() throws -> [Bool] {
        try work.wait()
    }

    private func run(_ writer: SiteWriter) throws -> [Bool] {
        let data = HashIndex.emptyShard
        let sha256 = Digest.hex(Digest.sha256(data))
        var linked = [Bool](repeating: false, count: HashIndex.shardCount)
        for (number, path) in HashIndex.allShardPaths.enumerated() {
            if let skipped = lock.withLock({ nonEmpty }), skipped.contains(number) { continue }
            try writer.write(data, sha256: sha256, to: path)
            linked[number] = true
        }
        return linked
    }
}
