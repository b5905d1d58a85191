import GRDB

/// Status of a document signature (seed ERD §3.4, `document_signatures.signature_status`).
public enum SignatureStatus: String, Codable, Sendable, Hashable, CaseIterable, DatabaseValueConvertible {
    case pending
    case signed
    case verified
    case invalid
}
