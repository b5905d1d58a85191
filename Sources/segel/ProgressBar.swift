import Foundation

/// A one-line progress bar with rate and ETA on a terminal (stderr); plain
/// lines, one per item, when stderr is not a terminal (logs, CI).
final class ProgressBar: @unchecked Sendable {
    let total: Int
    let label: String
    let interactive: Bool
    private let start = Date()
    private var done = 0
    private var lastDraw = Date.distantPast

    init(total: Int, label: String) {
        self.total = total
        self.label = label
        self.interactive = isatty(STDERR_FILENO) != 0
    }

    /// Counts one finished item; `line` is printed as is when not interactive.
    func advance(_ line: String) {
        done += 1
        if interactive {
            let now = Date()
            if done == total || now.timeIntervalSince(lastDraw) > 0.1 {
                lastDraw = now
                draw()
            }
        } else {
            Console.note("[\(done)/\(total)] \(line)")
        }
    }

    /// Prints a message above the bar without garbling it.
    func message(_ text: String) {
        if interactive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        Console.note(text)
        if interactive { draw() }
    }

    func finish() {
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func draw() {
        let width = 30
        let fraction = total == 0 ? 1 : Double(done) / Double(total)
        let filled = Int(fraction * Double(width))
        let elapsed = Date().timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let text = String(format: "\r\u{1B}[K%@ %@ %d/%d  %.1f/s  ETA %@", label, bar, done, total, rate, Self.clock(eta))
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
