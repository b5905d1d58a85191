import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Portal

/// Background work of a publish: `.low` work (the keys' derivations) runs
/// at a lower priority on a thread of its own, and leaves no shared thread
/// lowered for the work that follows.
@Suite struct PendingTests {
    #if canImport(Glibc)
    private static func nice() -> Int32 { getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) }

    @Test func lowWorkRunsNicerAndLeavesTheSharedThreadsAsTheyWere() throws {
        // Normal work runs on the shared threads, at whatever priority their QoS gives them.
        func normalPriorities() throws -> Set<Int32> {
            try Set((0..<16).map { _ in Pending<Int32> { Self.nice() } }.map { try $0.wait() })
        }
        let before = try normalPriorities()
        let base = Self.nice()
        let low = try Pending<Int32>(.low) { Self.nice() }.wait()
        #expect(low == min(base + Pending<Int32>.lowered, 19), "nicer than the thread that started it")
        #expect(low > base || base == 19)
        #expect(try normalPriorities() == before, "no shared thread was left at the lowered priority")
    }
    #endif

    @Test func anErrorOfLowWorkReachesTheOneWhoWaits() {
        struct Refused: Error {}
        #expect(throws: Refused.self) { try Pending<Int>(.low) { throw Refused() }.wait() }
    }
}
