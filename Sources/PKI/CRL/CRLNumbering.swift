import Foundation
import Synchronization

/// cRLNumber (RFC 5280 §5.2.3) for every CRL an authority signs: the CRL it
/// publishes and the one embedded in each signed PDF (B-LT). A validator that
/// holds several takes the highest number as the newest, so numbers must rise
/// with time across both: the number is the signing time in milliseconds since
/// 1970, or one more than the previous number when that is higher, and never
/// repeats within a process.
public enum CRLNumbering {
    private static let last = Mutex<Int>(0)

    public static func next(after previous: Int?, at time: Date) -> Int {
        let fromClock = Int((time.timeIntervalSince1970 * 1000).rounded(.down))
        return last.withLock { last in
            let number = max(fromClock, (previous ?? 0) + 1, last + 1)
            last = number
            return number
        }
    }
}
