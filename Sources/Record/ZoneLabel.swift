import Foundation

/// How a time zone is named next to a time, the same on the stamp, the
/// portal's pages and its upload check: the authority's zone, set at
/// `segel init --time-zone`.
public enum ZoneLabel {
    /// Indonesia's zones by their official names; any other zone by its UTC offset
    /// at that instant (an abbreviation from the machine's tz data could differ).
    public static func of(_ zone: TimeZone, at date: Date) -> String {
        switch zone.identifier {
        case "Asia/Jakarta", "Asia/Pontianak": return "WIB"
        case "Asia/Makassar": return "WITA"
        case "Asia/Jayapura": return "WIT"
        case "UTC", "GMT", "Etc/UTC", "Etc/GMT": return "UTC"
        default:
            let seconds = zone.secondsFromGMT(for: date)
            if seconds == 0 { return "UTC" }
            let sign = seconds < 0 ? "−" : "+"
            let minutes = abs(seconds) / 60
            return minutes % 60 == 0 ? "UTC\(sign)\(minutes / 60)" : "UTC\(sign)\(minutes / 60):\(minutes % 60 < 10 ? "0" : "")\(minutes % 60)"
        }
    }

    /// The label with the UTC offset spelled out when the label is a name:
    /// "WIB (UTC+7)"; an offset label stays as it is.
    public static func withOffset(_ zone: TimeZone, at date: Date) -> String {
        let name = of(zone, at: date)
        guard !name.hasPrefix("UTC") else { return name }
        let seconds = zone.secondsFromGMT(for: date)
        let sign = seconds < 0 ? "−" : "+"
        let minutes = abs(seconds) / 60
        let offset = minutes % 60 == 0 ? "\(minutes / 60)" : "\(minutes / 60):\(minutes % 60 < 10 ? "0" : "")\(minutes % 60)"
        return "\(name) (UTC\(sign)\(offset))"
    }
}
