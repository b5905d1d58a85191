import PKI
import Registry

/// The public status of a signed document, as its page, its JSON record and
/// the hash index state it.
///
/// The registry keeps invalidation and key revocation in step (each one also
/// does the other, see `Registry.invalidate` / `Registry.revokeKey`), so the
/// records alone cannot tell which one the authority asked for. The audit log
/// can: each operation writes its own row first. The rule is therefore:
///
/// - `revoked` when the document's first `signature_key_revoked` row comes
///   before its first `signature_invalidated` row (`segel keys revoke`), or when
///   the key is revoked and the document was never invalidated;
/// - `invalidated` when the signature is `invalid` otherwise (`segel invalidate`);
/// - `valid` otherwise. An expired key does not change the status: the
///   signature was made while the certificate was valid.
public enum DocumentStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case valid
    case invalidated
    case revoked

    /// Applies the rule above. `revocationFirst` is true when the audit log
    /// shows the key revocation before any invalidation of this document.
    static func resolve(signature: DocumentSignature, key: DigitalSignature,
                        revocationFirst: Bool) -> DocumentStatus {
        let invalid = signature.signatureStatus == .invalid
        let revoked = key.status == .revoked
        switch (invalid, revoked) {
        case (false, false): return .valid
        case (false, true): return .revoked
        case (true, false): return .invalidated
        case (true, true): return revocationFirst ? .revoked : .invalidated
        }
    }

    /// The reason code its certificate carries on the CRL (RFC 5280 §5.3.1):
    /// an invalidated document's certificate is withdrawn from use
    /// (`cessationOfOperation`), a revoked key is treated as compromised
    /// (`keyCompromise`); a valid document is not listed.
    var crlReason: CRLReason? {
        switch self {
        case .valid: nil
        case .invalidated: .cessationOfOperation
        case .revoked: .keyCompromise
        }
    }
}
