import Foundation

/// ISO 8601 UTC timestamps as the published files write them (`2024-05-01T10:00:00Z`).
public enum ISOTime {
    public static func string(from date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// Parses ISO 8601 with or without fractional seconds; nil for anything else.
    public static func date(from string: String) -> Date? {
        if let date = try? Date(string, strategy: .iso8601) { return date }
        return try? Date(string, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// `2024-05-01 10:00 UTC`, for people.
    public static func readable(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) UTC"
    }
}
