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

/// The eight checks reported for every signature, in the order CLI.md lists
/// them: the six checks of DESIGN.md with "CMS" split into digest and
/// signature, and "chain" split into chain and validity.
public enum CheckName: String, Sendable, Hashable, CaseIterable, Codable {
    /// 1. The file parses strictly in every revision; the signature dictionary is well-formed.
    case structure
    /// 2. ByteRange `[0 a b c]`, its gap is exactly this `/Contents`, no overlap, covers to EOF.
    case coverage
    /// 3a. `messageDigest` is the hash of the ranged bytes.
    case digest
    /// 3b. The CMS signature verifies and signingCertificateV2 names the signer's certificate.
    case signature
    /// 4a. The signer's certificate was issued by the trusted CA.
    case chain
    /// 4b. The certificate (and the CA) were valid when the document was signed.
    case validity
    /// 5. The certificate is not revoked.
    case revocation
    /// 6. The published record says valid and matches the file and certificate.
    case record

    /// How the check is named for people.
    public var title: String {
        switch self {
        case .structure: "structure"
        case .coverage: "coverage"
        case .digest: "digest"
        case .signature: "signature"
        case .chain: "chain"
        case .validity: "validity"
        case .revocation: "revocation"
        case .record: "record"
        }
    }
}

/// The eight results of one signature.
public struct SignatureChecks: Sendable, Hashable {
    public var structure: CheckResult
    public var coverage: CheckResult
    public var digest: CheckResult
    public var signature: CheckResult
    public var chain: CheckResult
    public var validity: CheckResult
    public var revocation: CheckResult
    public var record: CheckResult

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
            }
        }
    }

    /// The checks in CLI.md order with their results.
    public var all: [(name: CheckName, result: CheckResult)] {
        CheckName.allCases.map { ($0, self[$0]) }
    }
}
