import Foundation

/// Many files in one run (`--jobs N`): files are verified on up to `jobs`
/// worker threads, and results are handed back in argument order, each as
/// soon as it and every file before it are done.
extension Verifier {
    /// One file's outcome: a report, or the I/O error that prevented one.
    public typealias Outcome = Result<VerificationReport, VerifierError>

    public func verify(files: [(url: URL, name: String)], jobs: Int,
                       deliver: (Int, Outcome) -> Void) {
        guard !files.isEmpty else { return }
        let workers = max(1, min(jobs, files.count))
        let state = BatchState(count: files.count)
        let verifier = self
        for _ in 0..<workers {
            DispatchQueue.global().async {
                while let index = state.claim() {
                    let file = files[index]
                    let outcome: Outcome
                    do {
                        outcome = .success(try verifier.verify(fileAt: file.url, name: file.name))
                    } catch let error as VerifierError {
                        outcome = .failure(error)
                    } catch {
                        outcome = .failure(VerifierError(.io, "cannot verify \(file.name): \(error)", path: file.name))
                    }
                    state.finish(index, outcome)
                }
            }
        }
        for index in files.indices {
            deliver(index, state.wait(for: index))
        }
    }
}

/// The shared work list and results of a batch, behind one condition lock.
private final class BatchState: @unchecked Sendable {
    private let condition = NSCondition()
    private var next = 0
    private var results: [Verifier.Outcome?]

    init(count: Int) {
        results = Array(repeating: nil, count: count)
    }

    /// The next file to verify, or nil when every file is taken.
    func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        guard next < results.count else { return nil }
        defer { next += 1 }
        return next
    }

    func finish(_ index: Int, _ outcome: Verifier.Outcome) {
        condition.lock()
        results[index] = outcome
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks until file `index` is done, then hands its outcome over (and lets it go).
    func wait(for index: Int) -> Verifier.Outcome {
        condition.lock()
        defer { condition.unlock() }
        while results[index] == nil { condition.wait() }
        let outcome = results[index]!
        results[index] = nil
        return outcome
    }
}
