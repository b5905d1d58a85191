import ArgumentParser
import Authority
import Foundation
import Registry

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "The dashboard: requests and signatures per status, keys by state and expiry, recent activity.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let stats = try global.openAuthority().registry.statistics(now: Date())
        if global.json { try Console.json(stats); return }
        func line(_ label: String, _ counts: [String: Int]) {
            let text = counts.keys.sorted().map { "\($0) \(counts[$0]!)" }.joined(separator: ", ")
            Console.out("\(label.padding(toLength: 12, withPad: " ", startingAt: 0))\(text.isEmpty ? "none" : text)")
        }
        Console.out("People      \(stats.users) user(s), \(stats.approvers) approver(s)")
        line("Requests", stats.requestsByStatus)
        line("Signatures", stats.signaturesByStatus)
        line("Keys", stats.keysByStatus)
        Console.out("Expiring    \(stats.keysExpiringWithin7Days) within 7 days, \(stats.keysExpiringWithin30Days) within 30 days")
        Console.out("Verified    \(stats.verifications) check(s), \(stats.successfulVerifications) valid")
        if !stats.recentActivity.isEmpty {
            Console.out("Recent activity:")
            for r in stats.recentActivity {
                Console.out("  \(Timestamp.string(from: r.performedAt))  \(r.action.rawValue)  \(r.description)")
            }
        }
    }
}
