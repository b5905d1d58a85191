/// The nine results of one signature.
public struct SignatureChecks: Sendable, Hashable {
    public var structure: CheckResult
    public var coverage: CheckResult
    public var digest: CheckResult
    public var signature: CheckResult
    public var chain: CheckResult
    public var validity: CheckResult
    public var revocation: CheckResult
    public var record: CheckResult
    public var log: CheckResult

    /// Every check `unknown` with the same reason (used before anything is known).
    init(all result: CheckResult) {
        structure = result
        coverage = result
        digest = result
        signature = result
        chain = result
        validity = result
        revocation = result
        record = result
        log = result
    }

    public subscript(name: CheckName) -> CheckResult {
        get {
            switch name {
            case .structure: structure
            case .coverage: coverage
            case .digest: digest
            case .signature: signature
            case .chain: chain
            case .validity: validity
            case .revocation: revocation
            case .record: record
            case .log: log
            }
        }
        set {
            switch name {
            case .structure: structure = newValue
            case .coverage: coverage = newValue
            case .digest: digest = newValue
            case .signature: signature = newValue
            case .chain: chain = newValue
            case .validity: validity = newValue
            case .revocation: revocation = newValue
            case .record: record = newValue
            case .log: log = newValue
            }
        }
    }

    /// The checks in CLI.md order with their results.
    public var all: [(name: CheckName, result: CheckResult)] {
        CheckName.allCases.map { ($0, self[$0]) }
    }
}
