import Foundation

/// What the verifier found about one signature of a file.
public struct SignatureReport: Sendable, Hashable {
    /// How the signature relates to the trusted authority, which decides which checks count.
    public enum Role: String, Sendable, Hashable, Codable {
        /// The last signature of the file (not a timestamp): it must be the authority's.
        case seal
        /// An earlier signature by the authority itself (a document it signed twice).
        case authority
        /// An earlier signature by someone else, which the input carried when the
        /// authority sealed it: only its integrity counts.
        case foreign
        /// A document timestamp (ISO 32000-2 §12.8.5), before or after the seal.
        case timestamp
    }

    /// The signature's own RFC 3161 timestamp (PAdES B-T).
    public struct Timestamp: Sendable, Hashable {
        /// The TSTInfo's genTime.
        public let time: Date
        /// The time-stamping authority's common name.
        public let authority: String
        /// Why the timestamp is not trusted; nil when it verifies against the trust.
        public let problem: String?

        public var trusted: Bool { problem == nil }
    }

    /// The fully qualified field name.
    public let field: String
    /// The signer's common name (from the certificate; the dictionary's `/Name` when there is none).
    public let signer: String?
    /// The signer's organisation, from the certificate.
    public let signerOrganization: String?
    /// When it claims to have been signed (CMS signingTime, else `/M`; a timestamp's genTime).
    public let signedAt: Date?
    public let subFilter: String?
    public let role: Role
    public let checks: SignatureChecks
    /// The checks whose failure makes the file INVALID.
    public let counted: Set<CheckName>
    /// The checks whose `unknown` makes the file INDETERMINATE (a subset of `counted`).
    public let required: Set<CheckName>
    /// The certificate's serial (lowercase hex), when the CMS carries it.
    public let certificateSerial: String?
    /// The token of the verification URL in the certificate (authority signatures only).
    public let token: String?
    /// `[0 a b c]` as written, when it is four integers.
    public let byteRange: [Int]?
    /// The signature's own timestamp, when it carries one that answers its value.
    public var timestamp: Timestamp? = nil
    /// Observations that do not change the verdict (e.g. a claimed time far from the timestamp).
    public var warnings: [String] = []

    /// `reason` of every check that is not `pass`, prefixed by the check's name.
    public var reasons: [String] {
        checks.all.filter { !$0.result.passed }.map { "\($0.name.rawValue): \($0.result.reason)" }
    }

    /// The first counted check that failed, if any.
    public var firstFailure: (name: CheckName, result: CheckResult)? {
        checks.all.first { counted.contains($0.name) && $0.result.failed }
    }

    /// The first counted check that is unknown, if any.
    public var firstUnknown: (name: CheckName, result: CheckResult)? {
        checks.all.first { required.contains($0.name) && $0.result.isUnknown }
    }
}
