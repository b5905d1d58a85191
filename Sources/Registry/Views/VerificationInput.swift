/// A verification run to log (`segel verify FILE…` on the authority machine).
public struct VerificationInput: Sendable, Hashable {
    public var method: VerificationMethod
    /// The token found in the file or given by the user; only its SHA-256 is stored.
    public var token: String?
    /// SHA-256 of the checked file, when a file was checked.
    public var fileSHA256: String?
    public var isValid: Bool
    public var resultStatus: VerificationResultStatus
    public var verdict: VerificationVerdict?
    public var metadata: Metadata?

    public init(method: VerificationMethod, token: String? = nil, fileSHA256: String? = nil, isValid: Bool,
                resultStatus: VerificationResultStatus, verdict: VerificationVerdict? = nil,
                metadata: Metadata? = nil) {
        self.method = method
        self.token = token
        self.fileSHA256 = fileSHA256
        self.isValid = isValid
        self.resultStatus = resultStatus
        self.verdict = verdict
        self.metadata = metadata
    }
}
