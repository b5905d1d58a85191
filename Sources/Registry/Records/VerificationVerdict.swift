import GRDB

/// The verifier's verdict as `segel-verify --json` prints it (CLI.md).
public enum VerificationVerdict: String, Codable, Sendable, Hashable, CaseIterable, DatabaseValueConvertible {
    case valid = "VALID"
    case invalid = "INVALID"
    case indeterminate = "INDETERMINATE"
}
