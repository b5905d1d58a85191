/// One progress report: `completed` of `total` units of `step` are done.
public struct PublishProgress: Sendable, Hashable {
    public var step: String
    public var completed: Int
    public var total: Int

    public init(step: String, completed: Int, total: Int) {
        self.step = step
        self.completed = completed
        self.total = total
    }
}
