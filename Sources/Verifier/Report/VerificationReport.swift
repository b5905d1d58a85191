import Foundation

/// Everything the verifier says about one file.
public struct VerificationReport: Sendable, Hashable {
    /// The file as named on the command line.
    public let file: String
    public let verdict: Verdict
    /// One plain sentence a non-expert understands.
    public let summary: String
    /// SHA-256 of the whole file, lowercase hex (nil only when it could not be read).
    public let sha256: String?
    /// The document's token, from the authority's certificate in the seal.
    public let token: String?
    /// The signatures in the order they were made (by the end of their signed range).
    public let signatures: [SignatureReport]

    public init(file: String, verdict: Verdict, summary: String, sha256: String?, token: String?,
                signatures: [SignatureReport]) {
        self.file = file
        self.verdict = verdict
        self.summary = summary
        self.sha256 = sha256
        self.token = token
        self.signatures = signatures
    }

    /// The authority's seal, if the file has a signature in that role.
    public var seal: SignatureReport? { signatures.last { $0.role == .seal } }
}
