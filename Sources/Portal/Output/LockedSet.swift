import Foundation

/// A set of strings shared by the writer threads.
final class LockedSet: @unchecked Sendable {
    private var items: Set<String> = []
    private let lock = NSLock()

    func contains(_ item: String) -> Bool { lock.withLock { items.contains(item) } }
    func insert(_ item: String) { lock.withLock { _ = items.insert(item) } }
    func remove(_ item: String) { lock.withLock { _ = items.remove(item) } }
}
