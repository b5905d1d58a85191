/// Every allowed status change of requests, signatures and keys, in one place
/// (seed ERD "Key Business Rules"; DESIGN.md "Actors and data").
///
/// ```
/// request    pending → approved → sign_approved → invalid_sign
///            pending → rejected → pending (resubmit, new version)
/// signature  pending → signed → verified;  signed | verified → invalid;
///            pending → invalid (void: a later signer rejected a partly signed document)
/// key        active → expired;  active | expired → revoked
/// ```
///
/// `expired → revoked` goes beyond the seed on purpose: invalidating an old
/// document must still put its certificate on the CRL, and RFC 5280 §3.3
/// lets a CRL list certificates that have expired.
///
/// Operations call `check` before they change anything; an illegal step
/// throws `.illegalTransition` with one sentence naming the record and its
/// current status.
public enum Workflow {
    /// A step of an approval request.
    public enum RequestStep: String, Sendable, CaseIterable {
        case approve, reject, resubmit, sign, invalidate

        public var from: Set<RequestStatus> {
            switch self {
            case .approve, .reject: [.pending]
            case .resubmit: [.rejected]
            case .sign: [.approved]
            case .invalidate: [.signApproved]
            }
        }

        public var to: RequestStatus {
            switch self {
            case .approve: .approved
            case .reject: .rejected
            case .resubmit: .pending
            case .sign: .signApproved
            case .invalidate: .invalidSign
            }
        }

        fileprivate var participle: String {
            switch self {
            case .approve: "approved"
            case .reject: "rejected"
            case .resubmit: "resubmitted"
            case .sign: "signed"
            case .invalidate: "invalidated"
            }
        }
    }

    /// A step of a document signature.
    public enum SignatureStep: String, Sendable, CaseIterable {
        case sign, verify, invalidate, void

        public var from: Set<SignatureStatus> {
            switch self {
            case .sign, .void: [.pending]
            case .verify: [.signed]
            case .invalidate: [.signed, .verified]
            }
        }

        public var to: SignatureStatus {
            switch self {
            case .sign: .signed
            case .verify: .verified
            case .invalidate, .void: .invalid
            }
        }

        fileprivate var participle: String {
            switch self {
            case .sign: "signed"
            case .verify: "marked verified"
            case .invalidate: "invalidated"
            case .void: "voided"
            }
        }
    }

    /// A step of a per-document key.
    public enum KeyStep: String, Sendable, CaseIterable {
        case expire, revoke

        public var from: Set<KeyStatus> {
            switch self {
            case .expire: [.active]
            case .revoke: [.active, .expired]
            }
        }

        public var to: KeyStatus {
            switch self {
            case .expire: .expired
            case .revoke: .revoked
            }
        }

        fileprivate var participle: String {
            switch self {
            case .expire: "expire"
            case .revoke: "be revoked"
            }
        }
    }

    public static func allows(_ step: RequestStep, from status: RequestStatus) -> Bool {
        step.from.contains(status)
    }

    public static func allows(_ step: SignatureStep, from status: SignatureStatus) -> Bool {
        step.from.contains(status)
    }

    public static func allows(_ step: KeyStep, from status: KeyStatus) -> Bool {
        step.from.contains(status)
    }

    /// Throws unless `step` is allowed for `request`; returns the new status.
    @discardableResult
    static func check(_ step: RequestStep, request: ApprovalRequest) throws -> RequestStatus {
        let status = request.status
        guard !allows(step, from: status) else { return step.to }
        let subject = "request \(request.id)"
        // A resubmit leads back to `pending`, so "already pending" would mislead.
        if status == step.to, step != .resubmit {
            throw RegistryError(.illegalTransition, "\(subject) is already \(status.rawValue)")
        }
        let allowed = list(step.from.map(\.rawValue))
        throw RegistryError(.illegalTransition,
            "\(subject) is \(status.rawValue); only \(article(allowed)) \(allowed) request can be \(step.participle)")
    }

    @discardableResult
    static func check(_ step: SignatureStep, signature: DocumentSignature) throws -> SignatureStatus {
        let status = signature.signatureStatus
        guard !allows(step, from: status) else { return step.to }
        let subject = "the signature with token \(signature.token)"
        if status == step.to {
            throw RegistryError(.illegalTransition, "\(subject) is already \(status.rawValue)")
        }
        let allowed = list(step.from.map(\.rawValue))
        throw RegistryError(.illegalTransition,
            "\(subject) is \(status.rawValue); only \(article(allowed)) \(allowed) signature can be \(step.participle)")
    }

    @discardableResult
    static func check(_ step: KeyStep, key: DigitalSignature) throws -> KeyStatus {
        let status = key.status
        guard !allows(step, from: status) else { return step.to }
        let subject = "key \(key.signatureID)"
        if status == step.to {
            throw RegistryError(.illegalTransition, "\(subject) is already \(status.rawValue)")
        }
        let allowed = list(step.from.map(\.rawValue))
        throw RegistryError(.illegalTransition,
            "\(subject) is \(status.rawValue); only \(article(allowed)) \(allowed) key can \(step.participle)")
    }

    /// "pending", "signed or verified", "active or expired" — in a fixed order.
    private static func list(_ statuses: [String]) -> String {
        statuses.sorted().joined(separator: " or ")
    }

    private static func article(_ word: String) -> String {
        guard let first = word.first else { return "a" }
        return "aeiou".contains(first) ? "an" : "a"
    }
}
