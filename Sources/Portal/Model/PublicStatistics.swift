import Foundation
import Record
import Registry

/// `api/statistics.json` (format `segel-statistics/2`: keys revoked with their
/// invalidated document are counted apart from keys the authority revoked) and the data of
/// `stats/index.html`: counts only — no names, tokens or reasons — computed
/// from the published documents alone, so no clock is involved.
struct PublicStatistics: Encodable, Sendable, Hashable {
    static let format = "segel-statistics/2"

    struct StatusCounts: Encodable, Sendable, Hashable {
        var valid = 0
        var invalidated = 0
        var revoked = 0
    }

    /// By ``KeyCountCategory``, the rule `segel stats` counts with.
    struct KeyCounts: Encodable, Sendable, Hashable {
        var active = 0
        var expired = 0
        var revoked = 0
        var revokedWithDocument = 0

        enum CodingKeys: String, CodingKey {
            case active, expired, revoked
            case revokedWithDocument = "revoked_with_document"
        }
    }

    struct TypeCount: Encodable, Sendable, Hashable {
        /// The document type as the authority recorded it; null when none was given.
        var type: String?
        var count: Int

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(type, forKey: .type)
            try container.encode(count, forKey: .count)
        }

        enum CodingKeys: String, CodingKey { case type, count }
    }

    struct MonthCount: Encodable, Sendable, Hashable {
        /// `YYYY-MM` in the site's time zone.
        var month: String
        var count: Int
    }

    var asOf: String
    var documents: Int
    var byStatus: StatusCounts
    /// Most frequent first, ties by name.
    var byType: [TypeCount]
    /// Oldest first.
    var byMonth: [MonthCount]
    var keys: KeyCounts

    enum CodingKeys: String, CodingKey {
        case format, documents, keys
        case asOf = "as_of"
        case byStatus = "by_status"
        case byType = "by_type"
        case byMonth = "by_month"
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.format, forKey: .format)
        try container.encode(asOf, forKey: .asOf)
        try container.encode(documents, forKey: .documents)
        try container.encode(byStatus, forKey: .byStatus)
        try container.encode(byType, forKey: .byType)
        try container.encode(byMonth, forKey: .byMonth)
        try container.encode(keys, forKey: .keys)
    }

    init(documents: [PublishedDocumentSummary], asOf: Date, dates: HumanDate) {
        self.asOf = ISOTime.string(from: asOf)
        self.documents = documents.count
        var status = StatusCounts(), keys = KeyCounts()
        var types: [String?: Int] = [:], months: [String: Int] = [:]
        for document in documents {
            switch document.status {
            case .valid: status.valid += 1
            case .invalidated: status.invalidated += 1
            case .revoked: status.revoked += 1
            }
            // Every signer's key, by the rule `segel stats` counts them by
            // (`KeyCountCategory`); `segel stats` also counts the keys of documents not published yet.
            for key in document.keys {
                switch KeyCountCategory(key: key.status, document: document.status) {
                case .active: keys.active += 1
                case .expired: keys.expired += 1
                case .revoked: keys.revoked += 1
                case .revokedWithDocument: keys.revokedWithDocument += 1
                }
            }
            types[document.documentType, default: 0] += 1
            months[dates.monthKey(document.signedAt), default: 0] += 1
        }
        byStatus = status
        self.keys = keys
        byType = types.map { TypeCount(type: $0.key, count: $0.value) }.sorted { lhs, rhs in
            lhs.count != rhs.count ? lhs.count > rhs.count : (lhs.type ?? "") < (rhs.type ?? "")
        }
        byMonth = months.map { MonthCount(month: $0.key, count: $0.value) }.sorted { $0.month < $1.month }
    }
}
