import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Work started on another thread now and collected later — reading the
/// previous manifest while the registry is read, unlocking the CA key
/// (a deliberately slow key derivation) while pages are rendered.
final class Pending<Value: Sendable>: @unchecked Sendable {
    private var result: Result<Value, Error>?
    private let done = DispatchSemaphore(value: 0)

    enum Priority {
        /// Work the publish will wait for soon: on the shared threads.
        case normal
        /// Work that nothing waits for soon (a key derivation, slow on
        /// purpose): on a thread of its own, a little below the priority of
        /// the thread that started it, so that while every core is busy the
        /// work the publish waits for runs first. (The shared threads run
        /// at userInitiated, nice -2 on Linux: a derivation there took the
        /// cores from the publish's own thread, at nice 0.) Only a little:
        /// the nicer it is, the more other programs' load would delay it.
        /// On Linux a thread's priority is its own.
        case low
    }

    /// How much nicer (in nice(2) steps) `.low` work is than the thread that
    /// started it. Measured at 5,000 documents, a republish after one
    /// invalidation took about as long with 0, 5 or 10, and 0.1 s longer
    /// on the shared threads.
    static var lowered: Int32 { 5 }

    init(_ priority: Priority = .normal, _ body: @escaping @Sendable () throws -> Value) {
        let run: @Sendable () -> Void = {
            let outcome = Result { try body() }
            self.result = outcome
            self.done.signal()
        }
        switch priority {
        case .normal:
            DispatchQueue.global(qos: .userInitiated).async(execute: run)
        case .low:
            Thread {
                #if canImport(Glibc)
                let which = __priority_which_t(PRIO_PROCESS.rawValue)
                _ = setpriority(which, 0, min(getpriority(which, 0) + Self.lowered, 19))
                #endif
                run()
            }.start()
        }
    }

    /// Waits for the work and returns its value or rethrows its error.
    func wait() throws -> Value {
        done.wait()
        done.signal()
        return try result!.get()
    }
}
