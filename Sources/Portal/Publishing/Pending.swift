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
        /// purpose): on a thread of its own at a lower scheduling priority,
        /// so that while every core is busy the work the publish waits for
        /// runs first and this takes the time left over. (On Linux a
        /// thread's priority is its own.)
        case low
    }

    /// How much nicer (in nice(2) steps) `.low` work is than the thread that started it.
    static var lowered: Int32 { 10 }

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
