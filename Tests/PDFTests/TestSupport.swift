import Foundation
@testable import PDF

/// Paths and helpers shared by the PDF tests.
enum TestSupport {
    /// The package root, from this file's location (Tests/PDFTests/…).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/corpus/files` next to the repository.
    static let corpusDirectory = packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/corpus/files")

    static var corpusAvailable: Bool {
        FileManager.default.fileExists(atPath: corpusDirectory.path)
    }

    static func corpusFile(_ name: String) throws -> Data {
        try Data(contentsOf: corpusDirectory.appendingPathComponent(name))
    }

    static func corpusFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpusDirectory.path)) ?? [])
            .filter { $0.hasSuffix(".pdf") }.sorted()
    }

    /// MANIFEST.tsv rows: file name → features column and notes column.
    static func manifest() -> [String: (features: String, notes: String)] {
        let url = corpusDirectory.deletingLastPathComponent().appendingPathComponent("MANIFEST.tsv")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
        var rows: [String: (String, String)] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count >= 11 else { continue }
            rows[columns[0]] = (columns[7], columns[10])
        }
        return rows
    }

    /// The first executable `name` on `$PATH` (then the usual system folders).
    static func tool(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map(String.init) ?? []
        for directory in path + ["/usr/bin", "/usr/local/bin", "/bin"] {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return nil
    }

    /// Runs a tool, returning its exit status and its output (standard error
    /// included unless `stdoutOnly`).
    @discardableResult
    static func run(_ tool: URL, _ arguments: [String], stdoutOnly: Bool = false) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = stdoutOnly ? FileHandle.nullDevice : pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// Bytes as a string of Latin-1 characters (one character per byte), for editing fixtures.
    static func latin1(_ data: Data) -> String {
        String(String.UnicodeScalarView(data.map { Unicode.Scalar($0) }))
    }

    static func bytes(latin1 text: String) -> Data {
        Data(text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
    }

    static func temporaryFile(_ data: Data, suffix: String = ".pdf") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("segel-pdf-test-\(UUID().uuidString)\(suffix)")
        try data.write(to: url)
        return url
    }
}
