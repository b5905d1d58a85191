import Foundation
import Record
import PKI

/// `api/verify/<token>.json` (format `segel-record/1`): the published record
/// of one signed document — what the seeds served at
/// `/signature/api/verify/{token}` and what `segel-verify --site` compares a
/// file with. Absent optional values are written as `null`, never omitted, so
/// every record has the same keys.
public struct VerificationRecord: Encodable, Sendable, Hashable {
    public static let format = "segel-record/1"

    public struct CertificateInfo: Encodable, Sendable, Hashable {
        /// Lowercase hex (PKI's `Certificate.serialHex`).
        public var serial: String
        /// SHA-256 of the certificate's DER, lowercase hex.
        public var fingerprintSHA256: String
        public var notBefore: String
        public var notAfter: String
        /// RFC 4514 strings.
        public var issuer: String
        public var subject: String

        enum CodingKeys: String, CodingKey {
            case serial, issuer, subject
            case fingerprintSHA256 = "fingerprint_sha256"
            case notBefore = "not_before"
            case notAfter = "not_after"
        }
    }

    public struct DocumentInfo: Encodable, Sendable, Hashable {
        public var name: String
        public var type: String?
        public var requesterName: String

        enum CodingKeys: String, CodingKey {
            case name, type
            case requesterName = "requester_name"
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(type, forKey: .type)
            try container.encode(requesterName, forKey: .requesterName)
        }
    }

    public struct SignerInfo: Encodable, Sendable, Hashable {
        public var name: String
        public var title: String?

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(title, forKey: .title)
        }

        enum CodingKeys: String, CodingKey { case name, title }
    }

    public var token: String
    public var status: PublicStatus
    public var statusReason: String?
    public var statusDate: String?
    public var sha256: String
    public var signatureID: String
    public var signedAt: String
    public var certificate: CertificateInfo
    public var document: DocumentInfo
    public var signer: SignerInfo
    public var asOf: String

    enum CodingKeys: String, CodingKey {
        case format, token, status, sha256, certificate, document, signer
        case statusReason = "status_reason"
        case statusDate = "status_date"
        case signatureID = "signature_id"
        case signedAt = "signed_at"
        case asOf = "as_of"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.format, forKey: .format)
        try container.encode(token, forKey: .token)
        try container.encode(status, forKey: .status)
        try container.encode(statusReason, forKey: .statusReason)
        try container.encode(statusDate, forKey: .statusDate)
        try container.encode(sha256, forKey: .sha256)
        try container.encode(signatureID, forKey: .signatureID)
        try container.encode(signedAt, forKey: .signedAt)
        try container.encode(certificate, forKey: .certificate)
        try container.encode(document, forKey: .document)
        try container.encode(signer, forKey: .signer)
        try container.encode(asOf, forKey: .asOf)
    }
}

extension VerificationRecord {
    /// The record of `document`, whose certificate is `certificate`.
    init(_ document: SiteDocument, certificate: CertificateFacts) {
        token = document.token
        status = document.status
        statusReason = document.statusReason
        statusDate = document.statusDate.map(ISODate.string)
        sha256 = document.sha256
        signatureID = document.key.signatureID
        signedAt = ISODate.string(document.signedAt)
        self.certificate = CertificateInfo(
            serial: certificate.serialHex, fingerprintSHA256: certificate.sha256FingerprintHex,
            notBefore: ISODate.string(certificate.notBefore), notAfter: ISODate.string(certificate.notAfter),
            issuer: certificate.issuer, subject: certificate.subject)
        self.document = DocumentInfo(name: document.request.documentName,
                                     type: document.request.documentType.flatMap { $0.isEmpty ? nil : $0 },
                                     requesterName: document.published.user.name)
        signer = SignerInfo(name: document.published.signer.name,
                            title: document.published.signer.title.flatMap { $0.isEmpty ? nil : $0 })
        asOf = ISODate.string(document.asOf)
    }
}
