import COpenSSL
import Foundation

/// Conversions between `Date` and ASN.1 `Time` (RFC 5280 §4.1.2.5: UTCTime
/// through 2049, GeneralizedTime from 2050, always in UTC, whole seconds).
enum ASN1Time {
    /// The instant an ASN.1 time denotes, or nil when it is malformed.
    static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date? {
        guard let time else { return nil }
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }

    /// A newly allocated ASN.1 time for `date` (sub-second part dropped); the caller frees it.
    static func make(_ date: Date) -> UnsafeMutablePointer<ASN1_TIME>? {
        ASN1_TIME_set(nil, time_t(date.timeIntervalSince1970.rounded(.down)))
    }

    /// Sets `target` (an ASN.1 time owned by an X509/CRL structure) to `date`.
    static func set(_ target: UnsafeMutablePointer<ASN1_TIME>?, to date: Date) -> Bool {
        guard let target else { return false }
        return ASN1_TIME_set(target, time_t(date.timeIntervalSince1970.rounded(.down))) != nil
    }
}
