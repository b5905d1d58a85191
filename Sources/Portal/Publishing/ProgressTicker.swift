import Foundation

/// Reports progress from worker threads about every 1 % (and at most a few hundred times).
final class ProgressTicker: @unchecked Sendable {
    private let report: (@Sendable (PublishProgress) -> Void)?
    private let step: String
    private let total: Int
    private let every: Int
    private var done = 0
    private let lock = NSLock()

    init(context: PublishingContext, total: Int) {
        report = context.options.progress
        step = context.currentStep
        self.total = total
        every = max(1, total / 100)
    }

    func tick(_ count: Int = 1) {
        guard let report else { return }
        let now: Int? = lock.withLock {
            let before = done
            done += count
            return done / every != before / every ? done : nil
        }
        if let now { report(PublishProgress(step: step, completed: min(now, total), total: total)) }
    }
}
