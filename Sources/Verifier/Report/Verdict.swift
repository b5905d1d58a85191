/// The verdict on one file (DESIGN.md "The verifier", CLI.md exit codes).
public enum Verdict: String, Sendable, Hashable, Codable, Comparable {
    case valid = "VALID"
    case invalid = "INVALID"
    case indeterminate = "INDETERMINATE"

    /// The exit code `segel-verify` uses for this verdict alone.
    public var exitCode: Int32 {
        switch self {
        case .valid: 0
        case .invalid: 1
        case .indeterminate: 2
        }
    }

    /// VALID < INDETERMINATE < INVALID: the worst verdict of a run decides its exit code.
    public static func < (lhs: Verdict, rhs: Verdict) -> Bool {
        func rank(_ verdict: Verdict) -> Int {
            switch verdict {
            case .valid: 0
            case .indeterminate: 1
            case .invalid: 2
            }
        }
        return rank(lhs) < rank(rhs)
    }
}
