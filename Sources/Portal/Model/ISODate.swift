import Foundation
import Registry

/// The one machine date format of the published files: ISO 8601 / RFC 3339
/// §5.6 in UTC to the second, e.g. `2025-11-19T08:30:00Z`. Built from the
/// registry's `Timestamp` text (which carries milliseconds), so it never
/// depends on the machine's locale, calendar or time zone.
enum ISODate {
    static func string(_ date: Date) -> String {
        let full = Timestamp.string(from: date)
        // "YYYY-MM-DDTHH:MM:SS.mmmZ" → drop ".mmm".
        return String(full.prefix(19)) + "Z"
    }
}
