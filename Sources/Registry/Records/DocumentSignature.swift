import Foundation
import GRDB
import Record

/// The signature of one request's approved version (seed ERD §3.4
/// `document_signatures`): the public verification token, the hash that was
/// approved, the hash of the signed PDF, where the QR stamp sits.
public struct DocumentSignature: RegistryRecord, Identifiable {
    public static let databaseTableName = "document_signatures"

    public internal(set) var id: Int64
    public internal(set) var approvalRequestID: Int64
    /// The verification token (≥128-bit random, URL-safe), unique.
    public internal(set) var token: String
    /// SHA-256 of the approved version (before signing).
    public internal(set) var documentHash: String
    /// SHA-256 of the signed PDF.
    public internal(set) var finalHash: String?
    public internal(set) var signatureStatus: SignatureStatus
    public internal(set) var signatureMetadata: Metadata?
    /// QR stamp position: 1-based page number, lower-left corner and size in PDF points.
    public internal(set) var qrPage: Int?
    public internal(set) var qrX: Double?
    public internal(set) var qrY: Double?
    public internal(set) var qrSize: Double?
    public internal(set) var verificationURL: String?
    public internal(set) var signedAt: Date?
    /// The approver named in the certificate.
    public internal(set) var signedBy: Int64?
    public internal(set) var invalidatedReason: String?
    public internal(set) var invalidatedAt: Date?
    /// What the document's page, record and every verifier say about it, set
    /// when the authority acts on it (``PublicStatus/after(_:)``), with the
    /// reason and time of the act that named it: both nil exactly while the
    /// status is `valid` (the act sets all three at once; migration v3 too).
    public internal(set) var publicStatus: PublicStatus = .valid
    public internal(set) var publicStatusReason: String? = nil
    public internal(set) var publicStatusAt: Date? = nil
    public internal(set) var finalPDFPath: String?
    /// The stamp's QR symbol as `Stamp.QRSymbol.archived` bytes (nil before
    /// 0.3). Stored in `qr_modules`; left out of the JSON outputs (not a CodingKey).
    public internal(set) var qrModules: Data? = nil
    static let qrModulesColumn = "qr_modules"
    public internal(set) var createdAt: Date
    public internal(set) var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case approvalRequestID = "approval_request_id"
        case token
        case documentHash = "document_hash"
        case finalHash = "final_hash"
        case signatureStatus = "signature_status"
        case signatureMetadata = "signature_metadata"
        case qrPage = "qr_page"
        case qrX = "qr_x"
        case qrY = "qr_y"
        case qrSize = "qr_size"
        case verificationURL = "verification_url"
        case signedAt = "signed_at"
        case signedBy = "signed_by"
        case invalidatedReason = "invalidated_reason"
        case invalidatedAt = "invalidated_at"
        case publicStatus = "public_status"
        case publicStatusReason = "public_status_reason"
        case publicStatusAt = "public_status_at"
        case finalPDFPath = "final_pdf_path"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

extension DocumentSignature {
    /// What makes a document signature published — shown by the portal,
    /// counted by `segel stats`, found by `segel verify` — as SQL over
    /// `document_signatures` under `alias` (the name the query gives the
    /// table, or the table's own name): no longer pending (every signer has
    /// signed, or the signing was voided after the first signature, which
    /// the portal shows as invalid), with the signed file's hash and time
    /// recorded. The one definition: every query that lists, counts or finds
    /// published documents uses it.
    static func publishedCondition(alias: String) -> String {
        "(\(alias).signature_status != 'pending' AND \(alias).final_hash IS NOT NULL AND \(alias).signed_at IS NOT NULL)"
    }
}

extension DocumentSignature: ColumnRecord {
    /// Column by column rather than through `Encodable`: GRDB's Codable
    /// encoder (and a new JSONEncoder per JSON column) cost more than the SQL.
    /// The stored forms are the Codable ones (see `RegistryRecord`).
    func columns() -> [ColumnValue] {
        [
            (CodingKeys.id.rawValue, id),
            (CodingKeys.approvalRequestID.rawValue, approvalRequestID),
            (CodingKeys.token.rawValue, token),
            (CodingKeys.documentHash.rawValue, documentHash),
            (CodingKeys.finalHash.rawValue, finalHash),
            (CodingKeys.signatureStatus.rawValue, signatureStatus.rawValue),
            (CodingKeys.signatureMetadata.rawValue, ColumnJSON.text(signatureMetadata)),
            (CodingKeys.qrPage.rawValue, qrPage),
            (CodingKeys.qrX.rawValue, qrX),
            (CodingKeys.qrY.rawValue, qrY),
            (CodingKeys.qrSize.rawValue, qrSize),
            (CodingKeys.verificationURL.rawValue, verificationURL),
            (CodingKeys.signedAt.rawValue, signedAt?.databaseText),
            (CodingKeys.signedBy.rawValue, signedBy),
            (CodingKeys.invalidatedReason.rawValue, invalidatedReason),
            (CodingKeys.invalidatedAt.rawValue, invalidatedAt?.databaseText),
            (CodingKeys.publicStatus.rawValue, publicStatus.rawValue),
            (CodingKeys.publicStatusReason.rawValue, publicStatusReason),
            (CodingKeys.publicStatusAt.rawValue, publicStatusAt?.databaseText),
            (CodingKeys.finalPDFPath.rawValue, finalPDFPath),
            (Self.qrModulesColumn, qrModules),
            (CodingKeys.createdAt.rawValue, createdAt.databaseText),
            (CodingKeys.updatedAt.rawValue, updatedAt.databaseText),
        ]
    }
}

extension DocumentSignature: ColumnDecodable {
    /// Column by column rather than through `Decodable` (GRDB's Codable
    /// decoder costs several times the SQLite read); same stored forms.
    public init(row: Row) throws {
        try self.init(columns: ColumnReader(row))
    }

    init(columns row: ColumnReader) throws {
        id = try row.decode(Int64.self, forColumn: CodingKeys.id.rawValue)
        approvalRequestID = try row.decode(Int64.self, forColumn: CodingKeys.approvalRequestID.rawValue)
        token = try row.decode(String.self, forColumn: CodingKeys.token.rawValue)
        documentHash = try row.decode(String.self, forColumn: CodingKeys.documentHash.rawValue)
        finalHash = try row.decode(String?.self, forColumn: CodingKeys.finalHash.rawValue)
        signatureStatus = try row.decode(SignatureStatus.self, forColumn: CodingKeys.signatureStatus.rawValue)
        signatureMetadata = try row.metadata(CodingKeys.signatureMetadata.rawValue)
        qrPage = try row.decode(Int?.self, forColumn: CodingKeys.qrPage.rawValue)
        qrX = try row.decode(Double?.self, forColumn: CodingKeys.qrX.rawValue)
        qrY = try row.decode(Double?.self, forColumn: CodingKeys.qrY.rawValue)
        qrSize = try row.decode(Double?.self, forColumn: CodingKeys.qrSize.rawValue)
        verificationURL = try row.decode(String?.self, forColumn: CodingKeys.verificationURL.rawValue)
        signedAt = try row.optionalTimestamp(CodingKeys.signedAt.rawValue)
        signedBy = try row.decode(Int64?.self, forColumn: CodingKeys.signedBy.rawValue)
        invalidatedReason = try row.decode(String?.self, forColumn: CodingKeys.invalidatedReason.rawValue)
        invalidatedAt = try row.optionalTimestamp(CodingKeys.invalidatedAt.rawValue)
        publicStatus = try row.decode(PublicStatus.self, forColumn: CodingKeys.publicStatus.rawValue)
        publicStatusReason = try row.decode(String?.self, forColumn: CodingKeys.publicStatusReason.rawValue)
        publicStatusAt = try row.optionalTimestamp(CodingKeys.publicStatusAt.rawValue)
        finalPDFPath = try row.decode(String?.self, forColumn: CodingKeys.finalPDFPath.rawValue)
        qrModules = try row.decode(Data?.self, forColumn: Self.qrModulesColumn)
        createdAt = try row.timestamp(CodingKeys.createdAt.rawValue)
        updatedAt = try row.timestamp(CodingKeys.updatedAt.rawValue)
    }
}

extension DocumentSignature {
    /// The address the document's QR code and certificate name: the URL kept
    /// at signing, or `<baseURL>/v/<token>/` for a document signed before
    /// segel kept it (the flat layout of `DocumentAddress`).
    public func verificationURL(baseURL: String) -> String {
        verificationURL ?? "\(baseURL)/\(DocumentAddress(token: token, layout: .flat).page)"
    }

    /// Where the document's files sit in the site published at `baseURL`.
    public func address(baseURL: String) -> DocumentAddress {
        DocumentAddress(token: token, verificationURL: verificationURL, baseURL: baseURL)
    }
}
