import Dispatch
import Foundation

/// Spreads independent work (rendering pages, writing files) over the cores.
enum Parallel {
    /// `body(i)` for every `i` in `0..<count`, results in index order. The
    /// first error thrown (lowest index among those that failed) is rethrown
    /// after all work has stopped.
    static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
        let results = Slots<T>(count: count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count))
        let next = Counter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let index = next.increment()
                if index >= count || results.failed { return }
                do {
                    results.set(index, .success(try body(index)))
                } catch {
                    results.set(index, .failure(error))
                }
            }
        }
        var values: [T] = []
        values.reserveCapacity(count)
        for index in 0..<count {
            switch results.get(index) {
            case .success(let value)?: values.append(value)
            case .failure(let error)?: throw error
            case nil: continue
            }
        }
        if values.count != count, let error = results.firstError { throw error }
        return values
    }

    /// `body(i)` for every `i`, for side effects only.
    static func forEach(_ count: Int, _ body: @Sendable (Int) throws -> Void) throws {
        _ = try map(count, body)
    }

    /// Hands out indices to the worker threads.
    final class Counter: @unchecked Sendable {
        private var value = -1
        private let lock = NSLock()

        func increment() -> Int {
            lock.withLock {
                value += 1
                return value
            }
        }
    }

    /// One result slot per index, filled by the workers.
    final class Slots<T: Sendable>: @unchecked Sendable {
        private var slots: [Result<T, Error>?]
        private let lock = NSLock()
        private var anyFailure = false

        /// True once any worker has failed: the others stop taking new work.
        var failed: Bool { lock.withLock { anyFailure } }

        init(count: Int) {
            slots = Array(repeating: nil, count: count)
        }

        func set(_ index: Int, _ result: Result<T, Error>) {
            lock.withLock {
                slots[index] = result
                if case .failure = result { anyFailure = true }
            }
        }

        func get(_ index: Int) -> Result<T, Error>? {
            lock.withLock { slots[index] }
        }

        var firstError: Error? {
            lock.withLock {
                for slot in slots { if case .failure(let error)? = slot { return error } }
                return nil
            }
        }
    }
}
