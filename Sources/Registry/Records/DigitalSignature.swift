import Foundation
import GRDB

/// The per-document key and its leaf certificate (seed ERD §3.5
/// `digital_signatures`), one per signer of a document signature, in signing
/// order (`signerPosition`; 1 for a document with one signer).
///
/// `private_key` is nil unless the authority chose to retain it; then it holds
/// an encrypted PKCS#8 PEM (RFC 5958 `EncryptedPrivateKeyInfo`) made by PKI.
public struct DigitalSignature: RegistryRecord, Identifiable {
    public static let databaseTableName = "digital_signatures"

    public internal(set) var id: Int64
    /// `SIG-…`, unique, printed in the stamp.
    public internal(set) var signatureID: String
    public internal(set) var documentSignatureID: Int64
    public internal(set) var userID: Int64
    public internal(set) var publicKey: String
    public internal(set) var privateKey: String?
    public internal(set) var algorithm: String
    public internal(set) var keyLength: Int
    public internal(set) var certificate: String
    /// Certificate serial number (RFC 5280 §4.1.2.2), lowercase hex, unique.
    public internal(set) var serialHex: String
    public internal(set) var validFrom: Date
    public internal(set) var validUntil: Date
    /// Subject, issuer, key algorithm and fingerprint, read when the
    /// certificate was made (nil until filled for keys from before 0.4).
    public internal(set) var certificateSummary: CertificateSummary? = nil
    /// 1 for the first signer of the document, 2 for the next, … (schema `v5`).
    public internal(set) var signerPosition: Int = 1
    /// The approver named in the certificate.
    public internal(set) var signerID: Int64? = nil
    /// When this signer signed, and the signed PDF's SHA-256 right after.
    public internal(set) var signedAt: Date? = nil
    public internal(set) var signedHash: String? = nil
    /// Where this signer's stamp was drawn.
    public internal(set) var qr: QRPlacement? = nil
    public internal(set) var status: KeyStatus
    public internal(set) var revokedReason: String?
    public internal(set) var revokedAt: Date?
    public internal(set) var metadata: Metadata?
    public internal(set) var createdAt: Date
    public internal(set) var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case signatureID = "signature_id"
        case documentSignatureID = "document_signature_id"
        case userID = "user_id"
        case publicKey = "public_key"
        case privateKey = "private_key"
        case algorithm
        case keyLength = "key_length"
        case certificate
        case serialHex = "serial_hex"
        case validFrom = "valid_from"
        case validUntil = "valid_until"
        case status
        case revokedReason = "revoked_reason"
        case revokedAt = "revoked_at"
        case metadata
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

extension DigitalSignature {
    /// The columns of ``certificateSummary`` (schema `v4`); not CodingKeys, so
    /// the JSON outputs keep their shape.
    static let summaryColumns = (subject: "cert_subject", issuer: "cert_issuer",
                                 keyAlgorithm: "cert_key_algorithm", fingerprint: "cert_fingerprint_sha256")
    /// The columns of the signer's step (schema `v5`), likewise outside CodingKeys.
    static let stepColumns = (position: "signer_position", signer: "signer_id", signedAt: "signed_at",
                              signedHash: "signed_hash", qrPage: "qr_page", qrX: "qr_x", qrY: "qr_y", qrSize: "qr_size")
}

extension DigitalSignature: ColumnRecord {
    /// Column by column rather than through `Encodable`: GRDB's Codable
    /// encoder (and a new JSONEncoder per JSON column) cost more than the SQL.
    /// The stored forms are the Codable ones (see `RegistryRecord`).
    func columns() -> [ColumnValue] {
        [
            (CodingKeys.id.rawValue, id),
            (CodingKeys.signatureID.rawValue, signatureID),
            (CodingKeys.documentSignatureID.rawValue, documentSignatureID),
            (CodingKeys.userID.rawValue, userID),
            (CodingKeys.publicKey.rawValue, publicKey),
            (CodingKeys.privateKey.rawValue, privateKey),
            (CodingKeys.algorithm.rawValue, algorithm),
            (CodingKeys.keyLength.rawValue, keyLength),
            (CodingKeys.certificate.rawValue, certificate),
            (CodingKeys.serialHex.rawValue, serialHex),
            (CodingKeys.validFrom.rawValue, validFrom.databaseText),
            (CodingKeys.validUntil.rawValue, validUntil.databaseText),
            (Self.summaryColumns.subject, certificateSummary?.subject),
            (Self.summaryColumns.issuer, certificateSummary?.issuer),
            (Self.summaryColumns.keyAlgorithm, certificateSummary?.keyAlgorithm),
            (Self.summaryColumns.fingerprint, certificateSummary?.fingerprintSHA256),
            (Self.stepColumns.position, signerPosition),
            (Self.stepColumns.signer, signerID),
            (Self.stepColumns.signedAt, signedAt?.databaseText),
            (Self.stepColumns.signedHash, signedHash),
            (Self.stepColumns.qrPage, qr?.page),
            (Self.stepColumns.qrX, qr?.x),
            (Self.stepColumns.qrY, qr?.y),
            (Self.stepColumns.qrSize, qr?.size),
            (CodingKeys.status.rawValue, status.rawValue),
            (CodingKeys.revokedReason.rawValue, revokedReason),
            (CodingKeys.revokedAt.rawValue, revokedAt?.databaseText),
            (CodingKeys.metadata.rawValue, ColumnJSON.text(metadata)),
            (CodingKeys.createdAt.rawValue, createdAt.databaseText),
            (CodingKeys.updatedAt.rawValue, updatedAt.databaseText),
        ]
    }
}

extension DigitalSignature: ColumnDecodable {
    /// Column by column rather than through `Decodable` (GRDB's Codable
    /// decoder costs several times the SQLite read); same stored forms.
    public init(row: Row) throws {
        try self.init(columns: ColumnReader(row))
    }

    init(columns row: ColumnReader) throws {
        id = try row.decode(Int64.self, forColumn: CodingKeys.id.rawValue)
        signatureID = try row.decode(String.self, forColumn: CodingKeys.signatureID.rawValue)
        documentSignatureID = try row.decode(Int64.self, forColumn: CodingKeys.documentSignatureID.rawValue)
        userID = try row.decode(Int64.self, forColumn: CodingKeys.userID.rawValue)
        publicKey = try row.decode(String.self, forColumn: CodingKeys.publicKey.rawValue)
        privateKey = try row.decode(String?.self, forColumn: CodingKeys.privateKey.rawValue)
        algorithm = try row.decode(String.self, forColumn: CodingKeys.algorithm.rawValue)
        keyLength = try row.decode(Int.self, forColumn: CodingKeys.keyLength.rawValue)
        certificate = try row.decode(String.self, forColumn: CodingKeys.certificate.rawValue)
        serialHex = try row.decode(String.self, forColumn: CodingKeys.serialHex.rawValue)
        validFrom = try row.timestamp(CodingKeys.validFrom.rawValue)
        validUntil = try row.timestamp(CodingKeys.validUntil.rawValue)
        if let subject = try row.decode(String?.self, forColumn: Self.summaryColumns.subject),
           let issuer = try row.decode(String?.self, forColumn: Self.summaryColumns.issuer),
           let keyAlgorithm = try row.decode(String?.self, forColumn: Self.summaryColumns.keyAlgorithm),
           let fingerprint = try row.decode(String?.self, forColumn: Self.summaryColumns.fingerprint) {
            certificateSummary = CertificateSummary(subject: subject, issuer: issuer, keyAlgorithm: keyAlgorithm,
                                                    fingerprintSHA256: fingerprint)
        }
        signerPosition = try row.decode(Int.self, forColumn: Self.stepColumns.position)
        signerID = try row.decode(Int64?.self, forColumn: Self.stepColumns.signer)
        signedAt = try row.optionalTimestamp(Self.stepColumns.signedAt)
        signedHash = try row.decode(String?.self, forColumn: Self.stepColumns.signedHash)
        if let page = try row.decode(Int?.self, forColumn: Self.stepColumns.qrPage),
           let x = try row.decode(Double?.self, forColumn: Self.stepColumns.qrX),
           let y = try row.decode(Double?.self, forColumn: Self.stepColumns.qrY),
           let size = try row.decode(Double?.self, forColumn: Self.stepColumns.qrSize) {
            qr = QRPlacement(page: page, x: x, y: y, size: size)
        }
        status = try row.decode(KeyStatus.self, forColumn: CodingKeys.status.rawValue)
        revokedReason = try row.decode(String?.self, forColumn: CodingKeys.revokedReason.rawValue)
        revokedAt = try row.optionalTimestamp(CodingKeys.revokedAt.rawValue)
        metadata = try row.metadata(CodingKeys.metadata.rawValue)
        createdAt = try row.timestamp(CodingKeys.createdAt.rawValue)
        updatedAt = try row.timestamp(CodingKeys.updatedAt.rawValue)
    }
}
