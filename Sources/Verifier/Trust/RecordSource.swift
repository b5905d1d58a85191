import Foundation

/// The outcome of looking up the published record of a token.
public enum RecordLookup: Sendable {
    case found(PublishedRecord)
    /// No record exists for the token (the site copy may predate the document).
    case missing(String)
    /// A record exists but cannot be read.
    case unreadable(String)
}

/// Where the record check finds a token's published record.
public protocol RecordSource: Sendable {
    /// The record of the document at `address`, which the certificate's
    /// verification URL names.
    func record(at address: DocumentAddress) -> RecordLookup
}
