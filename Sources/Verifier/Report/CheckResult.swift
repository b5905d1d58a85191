/// The outcome of one check (DESIGN.md "The verifier"): like
/// swift-certificates' `PolicyEvaluationResult`, a bad signature is a value,
/// not an error.
public struct CheckResult: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Codable {
        case pass
        case fail
        /// The check could not be decided (no CRL, no record, an unsupported format).
        case unknown
    }

    public let status: Status
    /// One plain sentence saying what was found.
    public let reason: String

    public init(_ status: Status, _ reason: String) {
        self.status = status
        self.reason = reason
    }

    public static func pass(_ reason: String) -> CheckResult { CheckResult(.pass, reason) }
    public static func fail(_ reason: String) -> CheckResult { CheckResult(.fail, reason) }
    public static func unknown(_ reason: String) -> CheckResult { CheckResult(.unknown, reason) }

    public var passed: Bool { status == .pass }
    public var failed: Bool { status == .fail }
    public var isUnknown: Bool { status == .unknown }
}
