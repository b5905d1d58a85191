import Foundation

/// Date strings (ISO 32000-2 §7.9.4): `D:YYYYMMDDHHmmSSOHH'mm'`.
public enum PDFDate {
    /// `date` in UTC, e.g. `D:20240131143000+00'00'`.
    public static func string(from date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String {
            let value = value ?? 0
            return value < 10 ? "0\(value)" : "\(value)"
        }
        let year = String(parts.year ?? 1970)
        return "D:\(year)\(two(parts.month))\(two(parts.day))\(two(parts.hour))\(two(parts.minute))\(two(parts.second))+00'00'"
    }

    /// Parses a date string; missing trailing fields default as §7.9.4 says.
    public static func date(from string: String) -> Date? {
        var text = Substring(string)
        if text.hasPrefix("D:") { text = text.dropFirst(2) }
        let digits = text.prefix { $0.isNumber }
        guard digits.count >= 4 else { return nil }
        func field(_ offset: Int, _ length: Int, _ fallback: Int) -> Int {
            guard digits.count >= offset + length else { return fallback }
            let start = digits.index(digits.startIndex, offsetBy: offset)
            return Int(digits[start..<digits.index(start, offsetBy: length)]) ?? fallback
        }
        var components = DateComponents()
        components.year = field(0, 4, 1970)
        components.month = field(4, 2, 1)
        components.day = field(6, 2, 1)
        components.hour = field(8, 2, 0)
        components.minute = field(10, 2, 0)
        components.second = field(12, 2, 0)
        var offsetSeconds = 0
        let rest = text.dropFirst(digits.count)
        if let sign = rest.first, sign == "+" || sign == "-" {
            let numbers = rest.dropFirst().split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            let hours = numbers.first ?? 0
            let minutes = numbers.count > 1 ? numbers[1] : 0
            offsetSeconds = (hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: offsetSeconds) ?? TimeZone(secondsFromGMT: 0)!
        return calendar.date(from: components)
    }
}
