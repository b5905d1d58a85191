/// The public status of a signed document: what its page, its published
/// record (`api/verify/<token>.json`), the hash index, `segel verify` and
/// `segel-verify --site` all say about it. Stored in the registry when it
/// changes (`document_signatures.public_status`), never reconstructed.
public enum PublicStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case valid
    /// The authority withdrew the document (`segel invalidate`).
    case invalidated
    /// The authority revoked the document's key (`segel keys revoke`).
    case revoked

    /// What the authority can do to a signed document.
    public enum Act: Sendable, Hashable, CaseIterable {
        /// `segel invalidate TOKEN`: the document is withdrawn (its key is revoked with it).
        case invalidateDocument
        /// `segel keys revoke SIG-…`: the key is revoked (its document is invalidated with it).
        case revokeKey
    }

    /// The one rule: the first act names the status, and later acts keep it.
    /// Each act also carries out the other on the other record (so the CRL
    /// lists the certificate, and the signature is never valid again), which
    /// is why the records alone cannot say which one the authority asked for.
    /// An expired certificate changes nothing here: the document was signed
    /// while it was valid. Whether a verifier can still rely on the published
    /// revocation data (a stale CRL) is the verifier's question, not the
    /// document's status.
    public func after(_ act: Act) -> PublicStatus {
        guard self == .valid else { return self }
        switch act {
        case .invalidateDocument: return .invalidated
        case .revokeKey: return .revoked
        }
    }
}

extension PublicStatus {
    /// For people (`segel stats`).
    public var words: String {
        switch self {
        case .valid: "valid"
        case .invalidated: "invalidated"
        case .revoked: "key revoked"
        }
    }
}
