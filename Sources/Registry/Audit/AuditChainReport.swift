/// The result of `Registry.verifyAuditChain()`: intact, or the first row at
/// fault and what is wrong with it.
public struct AuditChainReport: Sendable, Hashable, Codable {
    public enum Problem: String, Sendable, Hashable, Codable {
        /// The row's content no longer hashes to its `row_hash`.
        case contentEdited = "content_edited"
        /// Ids are missing: rows were deleted (in the middle, at the start or at the end).
        case rowDeleted = "row_deleted"
        /// The row's `prev_hash` is not the previous row's `row_hash`.
        case chainBroken = "chain_broken"
    }

    /// How many rows were read.
    public var rowsChecked: Int
    /// `row_hash` of the last row; publishing it anchors the log's current state.
    public var headHash: String?
    /// The first row at fault (for a deletion: the first missing id).
    public var firstBadRowID: Int64?
    public var problem: Problem?
    /// One sentence: "the audit log's 42 rows are intact", or what is wrong where.
    public var message: String

    public var isIntact: Bool { problem == nil }
}
