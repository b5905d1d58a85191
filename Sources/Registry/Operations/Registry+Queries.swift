import Foundation
import GRDB
import Record

extension Registry {
    /// Requests in id order, optionally of one status.
    public func requests(status: RequestStatus? = nil) throws -> [ApprovalRequest] {
        try read("list requests") { db in
            var query = ApprovalRequest.order(Column("id"))
            if let status { query = query.filter(Column("status") == status.rawValue) }
            return try query.fetchAll(db)
        }
    }

    /// One request with its versions, people, signature, key and audit rows.
    public func request(id: Int64) throws -> RequestDetail {
        try read("read request \(id)") { db in
            let request = try Lookup.request(db, id)
            let signature = try Lookup.signature(db, of: request)
            return RequestDetail(
                request: request,
                user: try Lookup.user(db, request.userID),
                versions: try DocumentVersion.filter(Column("approval_request_id") == id)
                    .order(Column("version")).fetchAll(db),
                approvedBy: try request.approvedBy.flatMap { try Approver.fetchOne(db, key: $0) },
                rejectedBy: try request.rejectedBy.flatMap { try Approver.fetchOne(db, key: $0) },
                signature: signature,
                keys: try signature.map { try Lookup.keys(db, of: $0) } ?? [],
                signers: try RequestSigner.of(db, request: id),
                audit: try AuditLogEntry.filter(Column("approval_request_id") == id)
                    .order(Column("id")).fetchAll(db))
        }
    }

    /// The request submitted under a batch identity key, if any.
    public func request(identityKey: String) throws -> ApprovalRequest? {
        try read("find a request by identity key") { db in
            try ApprovalRequest.cachedFetch(db, where: "identity_key", is: identityKey)
        }
    }

    /// Keys in id order. `.expiring` means active with `valid_until` in
    /// `[now, now + 30 days]`.
    public func keys(_ filter: KeyFilter? = nil, now: Date = Date()) throws -> [DigitalSignature] {
        let now = Timestamp.normalized(now)
        return try read("list keys") { db in
            var query = DigitalSignature.order(Column("id"))
            switch filter {
            case nil: break
            case .active: query = query.filter(Column("status") == KeyStatus.active.rawValue)
            case .expired: query = query.filter(Column("status") == KeyStatus.expired.rawValue)
            case .revoked: query = query.filter(Column("status") == KeyStatus.revoked.rawValue)
            case .expiring: query = Registry.expiring(query, now: now, days: 30)
            }
            return try query.fetchAll(db)
        }
    }

    /// The key with this `SIG-…` id (`segel keys show`), or `.notFound`.
    public func key(signatureID: String) throws -> DigitalSignature {
        try read("read key \(signatureID)") { db in try Lookup.key(db, signatureID: signatureID) }
    }

    /// The document signature with this verification token, or `.notFound`.
    public func signature(token: String) throws -> DocumentSignature {
        try read("read the signature with token \(token)") { db in try Lookup.signature(db, token: token) }
    }

    /// Signed documents whose signed PDF has this SHA-256 (upload checks).
    public func signatures(finalHash: String) throws -> [DocumentSignature] {
        let hash = try Validate.sha256(finalHash, "the file hash")
        return try read("find signatures by hash") { db in
            try DocumentSignature.filter(Column("final_hash") == hash).order(Column("id")).fetchAll(db)
        }
    }

    /// Audit rows, oldest first, filtered by request, document signature and action.
    public func audit(request: Int64? = nil, documentSignature: Int64? = nil,
                      action: AuditAction? = nil) throws -> [AuditLogEntry] {
        try read("read the audit log") { db in
            var query = AuditLogEntry.order(Column("id"))
            if let request { query = query.filter(Column("approval_request_id") == request) }
            if let documentSignature { query = query.filter(Column("document_signature_id") == documentSignature) }
            if let action { query = query.filter(Column("action") == action.rawValue) }
            return try query.fetchAll(db)
        }
    }

    /// Walks the audit hash chain (`segel audit verify`).
    public func verifyAuditChain() throws -> AuditChainReport {
        try read("verify the audit log") { db in try AuditChain.verify(db) }
    }

    /// Time of the latest change to any record: the last audit row's time.
    /// The portal prints it as "as of", so publishing stays deterministic.
    public func lastChangeAt() throws -> Date? {
        try read("read the audit log") { db in try Registry.lastChangeAt(db) }
    }

    static func lastChangeAt(_ db: Database) throws -> Date? {
        try AuditLogEntry.order(Column("id").desc).limit(1).fetchOne(db)?.performedAt
    }

    /// Every revoked certificate, ordered by serial, for the CRL.
    public func revokedCertificates() throws -> [RevokedCertificate] {
        try read("list revoked certificates") { db in
            try DigitalSignature.filter(Column("status") == KeyStatus.revoked.rawValue)
                .order(Column("serial_hex")).fetchAll(db)
                .map { key in
                    RevokedCertificate(serialHex: key.serialHex, revokedAt: key.revokedAt ?? key.updatedAt,
                                       reason: key.revokedReason, signatureID: key.signatureID)
                }
        }
    }

    /// The published document with `token`, with its request, user, signer,
    /// approved version and key (`.notFound` when there is none, or it is
    /// not published: `DocumentSignature.publishedCondition`).
    public func publishedDocument(token: String) throws -> PublishedDocument {
        try read("read the document with token \(token)") { db in
            let signature = try Lookup.signature(db, token: token)
            let published = try Bool.fetchOne(db, sql: """
                SELECT \(DocumentSignature.publishedCondition(alias: "s")) FROM document_signatures s WHERE s.id = ?
                """, arguments: [signature.id])
            guard published == true else {
                throw RegistryError(.notFound,
                    "the document with token \(token) is not published: it is still being signed, or its signed file's hash or time is missing")
            }
            let request = try Lookup.request(db, signature.approvalRequestID)
            guard let user = try User.fetchOne(db, key: request.userID),
                  let signer = try signature.signedBy.flatMap({ try Approver.fetchOne(db, key: $0) }),
                  let version = try request.approvedVersionID.flatMap({ try DocumentVersion.fetchOne(db, key: $0) }) else {
                throw RegistryError(.integrity, "the signature with token \(token) lacks its request, signer or version")
            }
            let keys = try Lookup.keys(db, of: signature)
            let signers = try keys.map { key in try Lookup.approver(db, key.signerID ?? signer.id, known: signer) }
            guard !keys.isEmpty else {
                throw RegistryError(.integrity, "the signature with token \(token) has no key")
            }
            return PublishedDocument(signature: signature, request: request, user: user, signer: signer,
                                     approvedVersion: version, keys: keys, signers: signers)
        }
    }

    /// Every published document (`DocumentSignature.publishedCondition`)
    /// with its request, user, signer, approved version and keys, in id
    /// order, from one consistent snapshot. (A
    /// publish reads them through a `PublishedSnapshot`, which can leave the
    /// unchanged ones unread.)
    public func allPublishedDocuments() throws -> [PublishedDocument] {
        try read("list published documents") { db in try Registry.publishedDocuments(db, ids: nil) }
    }

    /// The published documents whose `document_signatures.id` is in `ids`
    /// (every one when nil), in id order, each with its request, requester,
    /// signer, approved version, keys and the approvers they name.
    static func publishedDocuments(_ db: Database, ids: Set<Int64>?) throws -> [PublishedDocument] {
        // A few documents are read by id; many, like all, table by table
        // (an IN list of thousands costs more than the rows it skips).
        let some = ids.flatMap { $0.count <= 500 ? Array($0) : nil }
        // (The count is only the arrays' capacity: the table's, an upper bound.)
        let count = try some?.count ?? DocumentSignature.fetchCount(db)
        var signatureQuery = DocumentSignature.filter(sql: DocumentSignature.publishedCondition(alias: DocumentSignature.databaseTableName))
            .order(Column("id"))
        if let some { signatureQuery = signatureQuery.filter(some.contains(Column("id"))) }
        var signatures = try Registry.fetchAll(db, signatureQuery, capacity: count)
        if let ids, some == nil { signatures = signatures.filter { ids.contains($0.id) } }
        let requests: [Int64: ApprovalRequest], users: [Int64: User], versions: [Int64: DocumentVersion]
        let keyRows: [DigitalSignature]
        let keyOrder = DigitalSignature.order(Column(DigitalSignature.stepColumns.position))
        if some != nil {
            let requestIDs = signatures.map(\.approvalRequestID)
            requests = try Registry.fetchByID(db, ApprovalRequest.filter(requestIDs.contains(Column("id"))))
            users = try Registry.fetchByID(db, User.filter(requests.values.map(\.userID).contains(Column("id"))))
            versions = try Registry.fetchByID(db, DocumentVersion.filter(
                requests.values.compactMap(\.approvedVersionID).contains(Column("id"))))
            keyRows = try Registry.fetchAll(db, keyOrder.filter(signatures.map(\.id).contains(Column("document_signature_id"))))
        } else {
            requests = try Registry.fetchByID(db, ApprovalRequest.all(), capacity: count)
            users = try Registry.fetchByID(db, User.all())
            versions = try Registry.fetchByID(db, DocumentVersion.all(), capacity: count)
            keyRows = try Registry.fetchAll(db, keyOrder, capacity: count)
        }
        let approvers = try Registry.fetchByID(db, Approver.all())
        let keys = Dictionary(grouping: keyRows, by: \.documentSignatureID)
        return try signatures.map { signature in
            guard let request = requests[signature.approvalRequestID],
                  let user = users[request.userID],
                  let signer = signature.signedBy.flatMap({ approvers[$0] }),
                  let version = request.approvedVersionID.flatMap({ versions[$0] }),
                  let documentKeys = keys[signature.id], !documentKeys.isEmpty else {
                throw RegistryError(.integrity,
                    "the signature with token \(signature.token) lacks its request, signer, version or key")
            }
            let signers = try documentKeys.map { key in
                guard let approver = approvers[key.signerID ?? signer.id] else {
                    throw RegistryError(.integrity, "key \(key.signatureID) names a signer that does not exist")
                }
                return approver
            }
            return PublishedDocument(signature: signature, request: request, user: user, signer: signer,
                                     approvedVersion: version, keys: documentKeys, signers: signers)
        }
    }

    /// Counts for `segel stats` and the public statistics page.
    public func statistics(now: Date = Date()) throws -> Statistics {
        let now = Timestamp.normalized(now)
        return try read("compute statistics") { db in
            func counts(_ table: String, _ column: String, _ values: [String]) throws -> [String: Int] {
                var result = Dictionary(uniqueKeysWithValues: values.map { ($0, 0) })
                for row in try Row.fetchAll(db, sql: "SELECT \(column), COUNT(*) FROM \(table) GROUP BY \(column)") {
                    let value: String = row[0]
                    result[value] = row[1]
                }
                return result
            }
            return Statistics(
                users: try User.fetchCount(db),
                approvers: try Approver.fetchCount(db),
                requestsByStatus: try counts("approval_requests", "status", RequestStatus.allCases.map(\.rawValue)),
                signaturesByStatus: try counts("document_signatures", "signature_status",
                                               SignatureStatus.allCases.map(\.rawValue)),
                documentsByStatus: try counts("document_signatures s WHERE \(DocumentSignature.publishedCondition(alias: "s"))", "public_status",
                                              PublicStatus.allCases.map(\.rawValue)),
                keysByStatus: try keyCounts(db),
                keysExpiringWithin7Days: try Registry.expiring(DigitalSignature.all(), now: now, days: 7).fetchCount(db),
                keysExpiringWithin30Days: try Registry.expiring(DigitalSignature.all(), now: now, days: 30).fetchCount(db),
                verifications: try VerificationLogEntry.fetchCount(db),
                successfulVerifications: try VerificationLogEntry.filter(Column("is_valid") == true).fetchCount(db),
                recentActivity: try AuditLogEntry.order(Column("id").desc).limit(10).fetchAll(db))
        }
    }

    /// Keys by ``KeyCountCategory``, every category present.
    private func keyCounts(_ db: Database) throws -> [String: Int] {
        var result = Dictionary(uniqueKeysWithValues: KeyCountCategory.allCases.map { ($0.rawValue, 0) })
        let rows = try Row.fetchAll(db, sql: """
            SELECT k.status, s.public_status, COUNT(*) FROM digital_signatures k
            JOIN document_signatures s ON s.id = k.document_signature_id
            GROUP BY k.status, s.public_status
            """)
        for row in rows {
            guard let key = KeyStatus(rawValue: row[0]), let document = PublicStatus(rawValue: row[1]) else {
                throw RegistryError(.integrity, "a key or document has an unknown status (\(String(describing: row[0] as String?)), \(String(describing: row[1] as String?)))")
            }
            result[KeyCountCategory(key: key, document: document).rawValue, default: 0] += row[2] as Int
        }
        return result
    }

    /// Active keys with `valid_until` in `[now, now + days]`; the text form of
    /// `Timestamp` sorts in time order, so plain string comparison is exact.
    static func expiring(_ query: QueryInterfaceRequest<DigitalSignature>, now: Date,
                         days: Int) -> QueryInterfaceRequest<DigitalSignature> {
        let horizon = now.addingTimeInterval(TimeInterval(days) * 86_400)
        return query.filter(Column("status") == KeyStatus.active.rawValue
                            && Column("valid_until") >= now.databaseText
                            && Column("valid_until") <= horizon.databaseText)
    }
}
