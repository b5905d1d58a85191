import Foundation
@_exported import Record

/// `api/verify/<token>.json`: what the authority publishes about one signed
/// document, and what the verifier's record check compares the file with.
///
/// ```json
/// {"format": "segel-record/1", "token": "…", "status": "valid|invalidated|revoked",
///  "status_reason": "…"|null, "status_date": "<ISO>"|null, "sha256": "<final signed PDF hash>",
///  "signature_id": "SIG-…", "signed_at": "<ISO>",
///  "certificate": {"serial": "<lowercase hex>", "fingerprint_sha256": "<lowercase hex of DER>"},
///  "document": {…}, "signer": {…}}
/// ```
///
/// The portal writes this type and the verifier reads it. Unknown keys are
/// ignored when reading; `document` and `signer` are free-form objects for
/// the portal's pages.
public struct PublishedRecord: Codable, Sendable, Hashable {
    /// The value of `format` this version writes and accepts.
    public static let formatIdentifier = "segel-record/1"

    /// The document's public status, defined once (module `Record`).
    public typealias Status = PublicStatus

    /// The certificate the document was signed with.
    public struct CertificateIdentity: Codable, Sendable, Hashable {
        /// Serial number, lowercase hex (PKI's `Certificate.serialHex`).
        public var serial: String
        /// SHA-256 of the certificate's DER, lowercase hex.
        public var fingerprintSHA256: String

        public init(serial: String, fingerprintSHA256: String) {
            self.serial = serial
            self.fingerprintSHA256 = fingerprintSHA256
        }

        enum CodingKeys: String, CodingKey {
            case serial
            case fingerprintSHA256 = "fingerprint_sha256"
        }
    }

    public var format: String
    public var token: String
    public var status: Status
    public var statusReason: String?
    /// ISO 8601 UTC time of the invalidation or revocation.
    public var statusDate: String?
    /// SHA-256 of the signed PDF as the authority produced it, lowercase hex.
    public var sha256: String
    /// `SIG-…`, printed in the stamp.
    public var signatureID: String
    /// ISO 8601 UTC.
    public var signedAt: String
    public var certificate: CertificateIdentity
    public var document: [String: JSONValue]
    public var signer: [String: JSONValue]

    public init(token: String, status: Status, statusReason: String? = nil, statusDate: Date? = nil,
                sha256: String, signatureID: String, signedAt: Date, certificate: CertificateIdentity,
                document: [String: JSONValue] = [:], signer: [String: JSONValue] = [:]) {
        self.format = PublishedRecord.formatIdentifier
        self.token = token
        self.status = status
        self.statusReason = statusReason
        self.statusDate = statusDate.map(ISOTime.string(from:))
        self.sha256 = sha256
        self.signatureID = signatureID
        self.signedAt = ISOTime.string(from: signedAt)
        self.certificate = certificate
        self.document = document
        self.signer = signer
    }

    enum CodingKeys: String, CodingKey {
        case format, token, status, sha256, certificate, document, signer
        case statusReason = "status_reason"
        case statusDate = "status_date"
        case signatureID = "signature_id"
        case signedAt = "signed_at"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decode(String.self, forKey: .format)
        token = try container.decode(String.self, forKey: .token)
        status = try container.decode(Status.self, forKey: .status)
        statusReason = try container.decodeIfPresent(String.self, forKey: .statusReason)
        statusDate = try container.decodeIfPresent(String.self, forKey: .statusDate)
        sha256 = try container.decode(String.self, forKey: .sha256)
        signatureID = try container.decode(String.self, forKey: .signatureID)
        signedAt = try container.decode(String.self, forKey: .signedAt)
        certificate = try container.decode(CertificateIdentity.self, forKey: .certificate)
        document = try container.decodeIfPresent([String: JSONValue].self, forKey: .document) ?? [:]
        signer = try container.decodeIfPresent([String: JSONValue].self, forKey: .signer) ?? [:]
    }

    /// Reads a record and checks its format identifier.
    public static func decode(_ data: Data) throws -> PublishedRecord {
        let record = try JSONDecoder().decode(PublishedRecord.self, from: data)
        guard record.format == formatIdentifier else {
            throw VerifierError(.trustInput, "the record has format \"\(record.format)\", expected \"\(formatIdentifier)\"")
        }
        return record
    }
}
