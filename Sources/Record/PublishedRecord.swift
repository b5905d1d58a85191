import Foundation

/// `api/verify/<token>.json`: what the authority publishes about one signed
/// document. Defined once: the portal writes it, the verifier's record check
/// reads it (`segel-verify --site`), and `segel verify` builds the same
/// record from the registry.
///
/// ```json
/// {"format": "segel-record/1", "token": "…", "status": "valid|invalidated|revoked",
///  "status_reason": "…"|null, "status_date": "<ISO>"|null, "sha256": "<final signed PDF hash>",
///  "signature_id": "SIG-…", "signed_at": "<ISO>", "as_of": "<ISO>",
///  "certificate": {"serial": "<lowercase hex>", "fingerprint_sha256": "<lowercase hex of DER>",
///                  "not_before": "<ISO>", "not_after": "<ISO>", "issuer": "<RFC 4514>", "subject": "<RFC 4514>"},
///  "document": {"name": "…", "type": "…"|null, "requester_name": "…"},
///  "signer": {"name": "…", "title": "…"|null},
///  "log": {"index": N, "tree_size": M, "entry": "<the log entry's text>",
///          "inclusion": ["<base64 hash>", …], "checkpoint": "<signed checkpoint>"}|null,
///  "signatures": [{"position": 1, "signature_id": "SIG-…", "signed_at": "<ISO>", "signer": {…},
///                  "certificate": {…}, "sha256": "<the PDF's hash right after it>", "log": {…}|null}, …]|null}
/// ```
///
/// A document that several approvers signed in order lists every signature
/// in `signatures`; the top-level `signature_id`, `signed_at`, `signer`,
/// `certificate` and `log` are then the last signature's, the one that covers
/// the whole file. With one signer `signatures` is null.
///
/// `log` proves the document's issuance entry is in the authority's public
/// issuance log (README "The issuance log"): the entry, its index, the
/// RFC 9162 inclusion proof to the tree of `tree_size` entries, and the
/// checkpoint the log signed for that tree.
///
/// Absent optional values are written as `null`, never omitted, so every
/// record has the same keys. Reading ignores unknown keys and tolerates a
/// record without the descriptive parts (`as_of`, the certificate's dates and
/// names, `document`, `signer`), which the verifier does not compare.
public struct PublishedRecord: Codable, Sendable, Hashable {
    /// The value of `format` this version writes and accepts.
    public static let formatIdentifier = "segel-record/1"

    /// The document's public status (``PublicStatus``).
    public typealias Status = PublicStatus

    /// The certificate the document was signed with.
    public struct CertificateIdentity: Codable, Sendable, Hashable {
        /// Serial number, lowercase hex (PKI's `Certificate.serialHex`).
        public var serial: String
        /// SHA-256 of the certificate's DER, lowercase hex.
        public var fingerprintSHA256: String
        /// ISO 8601 UTC; RFC 4514 names.
        public var notBefore: String
        public var notAfter: String
        public var issuer: String
        public var subject: String

        public init(serial: String, fingerprintSHA256: String, notBefore: String = "", notAfter: String = "",
                    issuer: String = "", subject: String = "") {
            self.serial = serial
            self.fingerprintSHA256 = fingerprintSHA256
            self.notBefore = notBefore
            self.notAfter = notAfter
            self.issuer = issuer
            self.subject = subject
        }

        enum CodingKeys: String, CodingKey {
            case serial, issuer, subject
            case fingerprintSHA256 = "fingerprint_sha256"
            case notBefore = "not_before"
            case notAfter = "not_after"
        }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            serial = try container.decode(String.self, forKey: .serial)
            fingerprintSHA256 = try container.decode(String.self, forKey: .fingerprintSHA256)
            notBefore = try container.decodeIfPresent(String.self, forKey: .notBefore) ?? ""
            notAfter = try container.decodeIfPresent(String.self, forKey: .notAfter) ?? ""
            issuer = try container.decodeIfPresent(String.self, forKey: .issuer) ?? ""
            subject = try container.decodeIfPresent(String.self, forKey: .subject) ?? ""
        }
    }

    public struct DocumentInfo: Codable, Sendable, Hashable {
        public var name: String
        public var type: String?
        public var requesterName: String

        public init(name: String, type: String? = nil, requesterName: String = "") {
            self.name = name
            self.type = type
            self.requesterName = requesterName
        }

        enum CodingKeys: String, CodingKey {
            case name, type
            case requesterName = "requester_name"
        }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
            type = try container.decodeIfPresent(String.self, forKey: .type)
            requesterName = try container.decodeIfPresent(String.self, forKey: .requesterName) ?? ""
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(type, forKey: .type)
            try container.encode(requesterName, forKey: .requesterName)
        }
    }

    public struct SignerInfo: Codable, Sendable, Hashable {
        public var name: String
        public var title: String?

        public init(name: String, title: String? = nil) {
            self.name = name
            self.title = title
        }

        enum CodingKeys: String, CodingKey { case name, title }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name) ?? ""
            title = try container.decodeIfPresent(String.self, forKey: .title)
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(title, forKey: .title)
        }
    }

    /// Where the document's issuance entry sits in the issuance log.
    public struct LogInclusion: Codable, Sendable, Hashable {
        public var index: Int
        public var treeSize: Int
        /// The entry's canonical text (`LogEntry`).
        public var entry: String
        /// The audit path, leaf side first, each hash in base64.
        public var inclusion: [String]
        /// The signed note of the checkpoint of `treeSize` entries.
        public var checkpoint: String

        public init(index: Int, treeSize: Int, entry: String, inclusion: [String], checkpoint: String) {
            self.index = index
            self.treeSize = treeSize
            self.entry = entry
            self.inclusion = inclusion
            self.checkpoint = checkpoint
        }

        enum CodingKeys: String, CodingKey {
            case index, entry, inclusion, checkpoint
            case treeSize = "tree_size"
        }
    }

    /// One of several signatures, in signing order.
    public struct SignatureEntry: Codable, Sendable, Hashable {
        public var position: Int
        public var signatureID: String
        public var signedAt: String
        public var signer: SignerInfo
        public var certificate: CertificateIdentity
        /// SHA-256 of the signed PDF right after this signature, lowercase hex.
        public var sha256: String
        public var log: LogInclusion?

        public init(position: Int, signatureID: String, signedAt: Date, signer: SignerInfo,
                    certificate: CertificateIdentity, sha256: String, log: LogInclusion? = nil) {
            self.position = position
            self.signatureID = signatureID
            self.signedAt = ISOTime.string(from: signedAt)
            self.signer = signer
            self.certificate = certificate
            self.sha256 = sha256
            self.log = log
        }

        enum CodingKeys: String, CodingKey {
            case position, signer, certificate, sha256, log
            case signatureID = "signature_id"
            case signedAt = "signed_at"
        }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            position = try container.decode(Int.self, forKey: .position)
            signatureID = try container.decode(String.self, forKey: .signatureID)
            signedAt = try container.decodeIfPresent(String.self, forKey: .signedAt) ?? ""
            signer = try container.decodeIfPresent(SignerInfo.self, forKey: .signer) ?? SignerInfo(name: "")
            certificate = try container.decode(CertificateIdentity.self, forKey: .certificate)
            sha256 = try container.decode(String.self, forKey: .sha256)
            log = try container.decodeIfPresent(LogInclusion.self, forKey: .log)
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(position, forKey: .position)
            try container.encode(signatureID, forKey: .signatureID)
            try container.encode(signedAt, forKey: .signedAt)
            try container.encode(signer, forKey: .signer)
            try container.encode(certificate, forKey: .certificate)
            try container.encode(sha256, forKey: .sha256)
            try container.encode(log, forKey: .log)
        }
    }

    /// A record that is not a segel record of this format.
    public struct FormatError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public var format: String
    public var token: String
    public var status: Status
    public var statusReason: String?
    /// ISO 8601 UTC time of the act that named the status.
    public var statusDate: String?
    /// SHA-256 of the signed PDF as the authority produced it, lowercase hex.
    public var sha256: String
    /// `SIG-…`, printed in the stamp.
    public var signatureID: String
    /// ISO 8601 UTC.
    public var signedAt: String
    public var certificate: CertificateIdentity
    public var document: DocumentInfo
    public var signer: SignerInfo
    /// ISO 8601 UTC: the latest registry change this record reflects.
    public var asOf: String
    /// The issuance entry's place in the public log; nil before the log existed.
    public var log: LogInclusion?
    /// Every signature in order when several approvers signed; nil for one.
    public var signatures: [SignatureEntry]?

    /// The signature made with the certificate of serial `serial` (hex, any case).
    public func signature(serial: String) -> SignatureEntry? {
        let serial = serial.lowercased()
        return allSignatures.first { $0.certificate.serial.lowercased() == serial }
    }

    /// The signatures in order: `signatures`, or the one the top level names.
    public var allSignatures: [SignatureEntry] {
        if let signatures, !signatures.isEmpty { return signatures }
        var only = SignatureEntry(position: 1, signatureID: signatureID, signedAt: Date(), signer: signer,
                                  certificate: certificate, sha256: sha256, log: log)
        only.signedAt = signedAt
        return [only]
    }

    public init(token: String, status: Status, statusReason: String? = nil, statusDate: Date? = nil,
                sha256: String, signatureID: String, signedAt: Date, certificate: CertificateIdentity,
                document: DocumentInfo = DocumentInfo(name: ""), signer: SignerInfo = SignerInfo(name: ""),
                asOf: Date? = nil) {
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
        self.asOf = ISOTime.string(from: asOf ?? signedAt)
    }

    enum CodingKeys: String, CodingKey {
        case format, token, status, sha256, certificate, document, signer, log, signatures
        case statusReason = "status_reason"
        case statusDate = "status_date"
        case signatureID = "signature_id"
        case signedAt = "signed_at"
        case asOf = "as_of"
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
        document = try container.decodeIfPresent(DocumentInfo.self, forKey: .document) ?? DocumentInfo(name: "")
        signer = try container.decodeIfPresent(SignerInfo.self, forKey: .signer) ?? SignerInfo(name: "")
        asOf = try container.decodeIfPresent(String.self, forKey: .asOf) ?? signedAt
        log = try container.decodeIfPresent(LogInclusion.self, forKey: .log)
        signatures = try container.decodeIfPresent([SignatureEntry].self, forKey: .signatures)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(format, forKey: .format)
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
        try container.encode(log, forKey: .log)
        try container.encode(signatures, forKey: .signatures)
    }

    /// Reads a record and checks its format identifier.
    public static func decode(_ data: Data) throws -> PublishedRecord {
        let record = try JSONDecoder().decode(PublishedRecord.self, from: data)
        guard record.format == formatIdentifier else {
            throw FormatError(description: "the record has format \"\(record.format)\", expected \"\(formatIdentifier)\"")
        }
        return record
    }
}
