import Foundation

/// A value guarded by a lock: the lazily filled caches of an otherwise
/// immutable ``PDFDocument`` are shared between threads through it.
final class Protected<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
