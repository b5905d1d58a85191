import ArgumentParser
import Authority
import Foundation
import Record
import Registry

struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "The dashboard in plain words: requests, documents as the portal shows them, keys, expiry, recent activity.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let stats = try global.openAuthority().registry.statistics(now: Date())
        if global.json { try Console.json(stats); return }
        func line(_ label: String, _ parts: [(words: String, count: Int)], _ tail: String = "") {
            let text = parts.map { "\($0.words) \($0.count)" }.joined(separator: ", ")
            Console.out("\(label.padding(toLength: 12, withPad: " ", startingAt: 0))\(text)\(tail)")
        }
        Console.out("People      \(stats.users) user(s), \(stats.approvers) approver(s)")
        line("Requests", RequestStatus.peopleOrder.map { ($0.words, stats.requestsByStatus[$0.rawValue] ?? 0) })
        line("Documents", PublicStatus.allCases.map { ($0.words, stats.documentsByStatus[$0.rawValue] ?? 0) },
             " (as the portal shows them; \(stats.signaturesByStatus[SignatureStatus.verified.rawValue] ?? 0) checked with segel verify)")
        line("Keys", KeyCountCategory.allCases.map { ($0.words, stats.keysByStatus[$0.rawValue] ?? 0) })
        Console.out("Expiring    \(stats.keysExpiringWithin7Days) within 7 days, \(stats.keysExpiringWithin30Days) within 30 days")
        Console.out("Verified    \(stats.verifications) check(s), \(stats.successfulVerifications) valid")
        if !stats.recentActivity.isEmpty {
            Console.out("Recent activity:")
            for r in stats.recentActivity {
                Console.out("  \(Timestamp.string(from: r.performedAt))  \(r.description)")
            }
        }
    }
}
