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
}
