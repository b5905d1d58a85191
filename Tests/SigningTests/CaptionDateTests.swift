import Foundation
import Testing
@testable import Authority

@Suite("Stamp caption date")
struct CaptionDateTests {
    @Test("UTC, minutes, zero-padded, seconds dropped", arguments: [
        (1_700_000_000.0, "2023-11-14 22:13 UTC"),
        (0.0, "1970-01-01 00:00 UTC"),
        (1_709_251_199.9, "2024-02-29 23:59 UTC"),
        (4_102_444_800.0, "2100-01-01 00:00 UTC"),
    ])
    func format(seconds: Double, expected: String) {
        #expect(DocumentSigner.captionDate(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test("the authority's zone, named as the portal names it, with its offset", arguments: [
        ("Asia/Jakarta", "2023-11-15 05:13 WIB (UTC+7)"),
        ("Asia/Makassar", "2023-11-15 06:13 WITA (UTC+8)"),
        ("Europe/Berlin", "2023-11-14 23:13 UTC+1"),
    ])
    func zone(identifier: String, expected: String) {
        #expect(DocumentSigner.captionDate(Date(timeIntervalSince1970: 1_700_000_000), zone: TimeZone(identifier: identifier)!) == expected)
    }
}
