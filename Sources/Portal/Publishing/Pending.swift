import Dispatch

/// Work started on another thread now and collected later — reading the
/// previous manifest while the registry is read, unlocking the CA key
/// (a deliberately slow key derivation) while pages are rendered.
final class Pending<Value: Sendable>: @unchecked Sendable {
    private var result: Result<Value, Error>?
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () throws -> Value) {
        DispatchQueue.global(qos: .userInitiated).async {
            let outcome = Result { try body() }
            self.result = outcome
            self.done.signal()
        }
    }

    /// Waits for the work and returns its value or rethrows its error.
    func wait() throws -> Value {
        done.wait()
        done.signal()
        return try result!.get()
    }
}
