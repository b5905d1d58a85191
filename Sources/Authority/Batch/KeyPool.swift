import Foundation
import PKI

/// Generates per-document keys ahead of need on `producers` threads, so that
/// key generation (the CPU-bound floor of signing) keeps every core busy while
/// other threads wait on disk writes. A key is handed out once and never
/// stored; keys still in the pool when it closes are dropped unused.
///
/// Producers start at once, so key generation overlaps the caller's own
/// start-up (unlocking the CA, reading the manifest); they stop after `count`
/// keys, and never run more than `capacity` keys ahead of the consumers.
public final class KeyPool: @unchecked Sendable {
    private let condition = NSCondition()
    private let type: KeyType
    private let producers: Int
    private let capacity: Int
    private var keys: [PrivateKey] = []
    private var remaining: Int
    private var inFlight = 0
    private var running = 0
    private var closed = false
    private var failure: Error?

    public init(type: KeyType, producers: Int, capacity: Int, count: Int) {
        self.type = type
        self.producers = max(1, producers)
        self.capacity = max(1, capacity)
        self.remaining = count
        start()
    }

    private func start() {
        condition.lock()
        running = producers
        condition.unlock()
        for _ in 0..<producers {
            let thread = Thread { [self] in produce() }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// The next key; waits for one. Throws if generation failed or the pool is spent.
    public func take() throws -> PrivateKey {
        condition.lock()
        defer { condition.unlock() }
        while keys.isEmpty {
            if let failure { throw failure }
            if closed || (remaining <= 0 && inFlight == 0) {
                throw AuthorityError(.io, "no more per-document keys are available")
            }
            condition.wait()
        }
        let key = keys.removeFirst()
        condition.broadcast()
        return key
    }

    /// Stops the producers and waits for them to return (at most one key
    /// generation each); keys not taken are dropped. Waiting matters: a process
    /// that exits while a producer is inside libcrypto has its atexit clean-up
    /// free what the producer is using (a crash at exit).
    public func close() {
        condition.lock()
        closed = true
        keys.removeAll()
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }

    private func produce() {
        while true {
            condition.lock()
            while !closed, remaining > 0, keys.count + inFlight >= capacity { condition.wait() }
            if closed || remaining <= 0 {
                running -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            remaining -= 1
            inFlight += 1
            condition.unlock()
            let result = Result { try PrivateKey.generate(type) }
            condition.lock()
            inFlight -= 1
            switch result {
            case .success(let key): if !closed { keys.append(key) }
            case .failure(let error): failure = error
            }
            condition.broadcast()
            condition.unlock()
        }
    }
}
