import Foundation
import Record

/// Dates as people read them on the pages, e.g. "19 November 2025, 14.05 WIB"
/// (Indonesian: day month year, hours and minutes separated by a full stop, as
/// PUEBI writes times) or "19 November 2025, 14:05 WIB" (English).
///
/// Month names come from the tables below, not from the machine's locale data,
/// and the time zone is fixed by the publish options, so the same registry
/// always renders the same text.
struct HumanDate: Sendable {
    let locale: PortalLocale
    let timeZone: TimeZone
    private let calendar: Calendar

    init(locale: PortalLocale, timeZone: TimeZone) {
        self.locale = locale
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    static let indonesianMonths = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
                                   "Agustus", "September", "Oktober", "November", "Desember"]
    static let englishMonths = ["January", "February", "March", "April", "May", "June", "July",
                                "August", "September", "October", "November", "December"]

    private var months: [String] { locale == .id ? Self.indonesianMonths : Self.englishMonths }

    /// "19 November 2025, 14.05 WIB".
    func dateTime(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let separator = locale == .id ? "." : ":"
        let hour = parts.hour ?? 0, minute = parts.minute ?? 0
        return "\(parts.day ?? 1) \(months[(parts.month ?? 1) - 1]) \(parts.year ?? 1970), "
            + "\(pad(hour))\(separator)\(pad(minute)) \(ZoneLabel.of(timeZone, at: date))"
    }

    /// "19 November 2025".
    func day(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return "\(parts.day ?? 1) \(months[(parts.month ?? 1) - 1]) \(parts.year ?? 1970)"
    }

    /// "November 2025" for a `YYYY-MM` key.
    func month(key: String) -> String {
        let pieces = key.split(separator: "-")
        guard pieces.count == 2, let month = Int(pieces[1]), (1...12).contains(month) else { return key }
        return "\(months[month - 1]) \(pieces[0])"
    }

    /// `YYYY-MM` of `date` in this time zone, the grouping key of the statistics.
    func monthKey(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month], from: date)
        return "\(parts.year ?? 1970)-\(pad(parts.month ?? 1))"
    }

    private func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}
