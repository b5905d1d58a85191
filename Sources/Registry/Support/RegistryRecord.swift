import Foundation
import GRDB

/// What every registry record shares: Codable persistence through GRDB with
/// dates stored as `Timestamp` text and JSON columns with sorted keys, so the
/// same record always produces the same bytes (audit hashes depend on it).
public protocol RegistryRecord: Codable, Hashable, Sendable, FetchableRecord, PersistableRecord {}

extension RegistryRecord {
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        .custom { Timestamp.string(from: $0) }
    }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        .custom { value in String.fromDatabaseValue(value).flatMap(Timestamp.date(from:)) }
    }
}

/// Free-form JSON metadata (`settings`, `workflow_metadata`, `metadata`):
/// string keys and string values, stored as a JSON object with sorted keys.
public typealias Metadata = [String: String]

extension Date {
    /// The stored text form, for raw SQL arguments.
    var databaseText: String { Timestamp.string(from: self) }
}
