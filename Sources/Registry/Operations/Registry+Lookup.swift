import GRDB

/// Fetches inside a transaction that turn "no row" into a `.notFound` sentence.
enum Lookup {
    static func request(_ db: Database, _ id: Int64) throws -> ApprovalRequest {
        guard let request = try ApprovalRequest.cachedFetch(db, id: id) else {
            throw RegistryError(.notFound, "request \(id) does not exist")
        }
        return request
    }

    static func user(_ db: Database, _ id: Int64) throws -> User {
        guard let user = try User.cachedFetch(db, id: id) else {
            throw RegistryError(.notFound, "user \(id) does not exist")
        }
        return user
    }

    /// `known`: a row the caller has in hand from this transaction, used when it is the one asked for.
    static func approver(_ db: Database, _ id: Int64, known: Approver? = nil) throws -> Approver {
        if let known, known.id == id { return known }
        guard let approver = try Approver.cachedFetch(db, id: id) else {
            throw RegistryError(.notFound, "approver \(id) does not exist")
        }
        return approver
    }

    /// `known`: as for `approver`.
    static func version(_ db: Database, _ id: Int64?, of request: ApprovalRequest,
                        known: DocumentVersion? = nil) throws -> DocumentVersion {
        if let known, known.id == id { return known }
        guard let id, let version = try DocumentVersion.cachedFetch(db, id: id) else {
            throw RegistryError(.integrity, "request \(request.id) has no stored document version")
        }
        return version
    }

    static func signature(_ db: Database, token: String) throws -> DocumentSignature {
        guard let signature = try DocumentSignature.cachedFetch(db, where: "token", is: token) else {
            throw RegistryError(.notFound, "no signed document has the token \(token)")
        }
        return signature
    }

    static func key(_ db: Database, signatureID: String) throws -> DigitalSignature {
        guard let key = try DigitalSignature.cachedFetch(db, where: "signature_id", is: signatureID) else {
            throw RegistryError(.notFound, "no key has the id \(signatureID)")
        }
        return key
    }

    /// The keys of a document signature, one per signer, in signing order.
    static func keys(_ db: Database, of signature: DocumentSignature) throws -> [DigitalSignature] {
        try DigitalSignature.fetchAll(db.cachedStatement(sql: """
            SELECT * FROM digital_signatures WHERE document_signature_id = ? ORDER BY signer_position
            """), arguments: [signature.id])
    }

    /// The request's latest signature (earlier ones were voided by a rejection).
    static func signature(_ db: Database, of request: ApprovalRequest) throws -> DocumentSignature? {
        try DocumentSignature.fetchOne(db.cachedStatement(sql: """
            SELECT * FROM document_signatures WHERE approval_request_id = ? ORDER BY id DESC LIMIT 1
            """), arguments: [request.id])
    }
}
