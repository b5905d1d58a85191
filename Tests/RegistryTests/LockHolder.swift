import Foundation

/// The real `sqlite3` shell in another process, holding the write lock.
final class LockHolder {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()

    init(database path: String) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        try send("BEGIN IMMEDIATE;\nSELECT 'locked';\n")
        var seen = ""
        while !seen.contains("locked") {
            let data = output.fileHandleForReading.availableData
            guard !data.isEmpty else { throw ProcessFailure(description: "sqlite3 exited before locking") }
            seen += String(decoding: data, as: UTF8.self)
        }
    }

    func release() throws {
        guard process.isRunning else { return }
        try send("COMMIT;\n.quit\n")
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    private func send(_ text: String) throws {
        try input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}
