import Foundation

/// For `SiteWriter`: the first file written with each content hash in this
/// publish, to which later files with the same bytes are hard-linked. A source
/// serves at most `limit` links (ext4 allows 65,000 per inode), then the next
/// file with those bytes becomes the new source.
final class LinkSources: @unchecked Sendable {
    private struct Source {
        var path: String
        var links: Int
    }

    static let limit = 4096
    private var sources: [String: Source] = [:]
    private var disabled: Set<String> = []
    private let lock = NSLock()

    /// A path to link to for `hash`, counting the link; nil to write the bytes.
    func source(for hash: String) -> String? {
        lock.withLock {
            guard !disabled.contains(hash), var source = sources[hash], source.links < Self.limit else { return nil }
            source.links += 1
            sources[hash] = source
            return source.path
        }
    }

    /// `path` now holds bytes with `hash`; it becomes the source if there is none usable.
    func offer(_ path: String, for hash: String) {
        lock.withLock {
            if disabled.contains(hash) { return }
            if let source = sources[hash], source.links < Self.limit { return }
            sources[hash] = Source(path: path, links: 0)
        }
    }

    /// Linking failed for `hash` (e.g. a file system without hard links): write copies.
    func disable(_ hash: String) {
        lock.withLock { _ = disabled.insert(hash) }
    }
}
