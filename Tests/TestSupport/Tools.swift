import Foundation

/// Runs the real external programs the tests check segel against (qpdf,
/// poppler's pdfsig/pdftoppm/pdftotext, zbarimg, pyHanko). Tests skip with a
/// clear message when a tool is missing rather than pretend it passed.
public enum Tools {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: Data
        public let stderr: Data
        public var out: String { String(decoding: stdout, as: UTF8.self) }
        public var err: String { String(decoding: stderr, as: UTF8.self) }
    }

    /// Runs `executable` (looked up on PATH) and waits; output is collected fully.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                           input: Data? = nil, currentDirectory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = try locate(executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        let inPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inPipe
        try process.run()
        if let input {
            inPipe.fileHandleForWriting.write(input)
            try? inPipe.fileHandleForWriting.close()
        }
        // Drain both pipes concurrently so a chatty tool cannot block on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = errPipe.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: outData, stderr: errData)
    }

    public static func locate(_ executable: String) throws -> URL {
        if executable.contains("/") { return URL(fileURLWithPath: executable) }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent(executable)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw ToolMissing(name: executable)
    }

    public static func available(_ executable: String) -> Bool {
        (try? locate(executable)) != nil
    }

    public struct ToolMissing: Error, CustomStringConvertible {
        public let name: String
        public var description: String { "\(name) is not installed (scripts/setup --test installs it)" }
    }
}

/// Paths the tests share: the package root, the corpus, the built executables.
public enum TestPaths {
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// `../shared/corpus/files` beside the repository, or nil when absent (a clone elsewhere).
    public static var corpus: URL? {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus/files")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    public static let corpusMissingMessage =
        "../shared/corpus/files is absent (a clone outside the workplace): corpus tests skipped"

    public static func corpusFiles() -> [URL] {
        guard let corpus else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []
        return names.filter { $0.hasSuffix(".pdf") }.sorted().map { corpus.appendingPathComponent($0) }
    }

    /// A built executable of this package (`segel`, `segel-verify`), next to the test bundle.
    public static func executable(_ name: String) -> URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [beside, beside.deletingLastPathComponent(), packageRoot.appendingPathComponent(".build/debug")] {
            let candidate = dir.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return packageRoot.appendingPathComponent(".build/debug/\(name)")
    }

    /// A fresh temporary folder, removed by the caller (or left for inspection on failure).
    public static func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("segel-\(label)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
