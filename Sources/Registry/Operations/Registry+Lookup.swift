import GRDB

/// Fetches inside a transaction that turn "no row" into a `.notFound` sentence.
enum Lookup {
    static func request(_ db: Database, _ id: Int64) throws -> ApprovalRequest {
        guard let request = try ApprovalRequest.fetchOne(db, key: id) else {
            throw RegistryError(.notFound, "request \(id) does not exist")
        }
        return request
    }

    static func user(_ db: Database, _ id: Int64) throws -> User {
        guard let user = try User.fetchOne(db, key: id) else {
            throw RegistryError(.notFound, "user \(id) does not exist")
        }
        return user
    }

    static func approver(_ db: Database, _ id: Int64) throws -> Approver {
        guard let approver = try Approver.fetchOne(db, key: id) else {
            throw RegistryError(.notFound, "approver \(id) does not exist")
        }
        return approver
    }

    static func version(_ db: Database, _ id: Int64?, of request: ApprovalRequest) throws -> DocumentVersion {
        guard let id, let version = try DocumentVersion.fetchOne(db, key: id) else {
            throw RegistryError(.integrity, "request \(request.id) has no stored document version")
        }
        return version
    }

    static func signature(_ db: Database, token: String) throws -> DocumentSignature {
        guard let signature = try DocumentSignature.filter(Column("token") == token).fetchOne(db) else {
            throw RegistryError(.notFound, "no signed document has the token \(token)")
        }
        return signature
    }

    static func key(_ db: Database, signatureID: String) throws -> DigitalSignature {
        guard let key = try DigitalSignature.filter(Column("signature_id") == signatureID).fetchOne(db) else {
            throw RegistryError(.notFound, "no key has the id \(signatureID)")
        }
        return key
    }

    static func key(_ db: Database, of signature: DocumentSignature) throws -> DigitalSignature? {
        try DigitalSignature.filter(Column("document_signature_id") == signature.id).fetchOne(db)
    }

    static func signature(_ db: Database, of request: ApprovalRequest) throws -> DocumentSignature? {
        try DocumentSignature.filter(Column("approval_request_id") == request.id).fetchOne(db)
    }
}
