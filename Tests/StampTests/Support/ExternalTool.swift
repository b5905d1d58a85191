import Foundation

/// Runs the installed command-line tools the tests check against (zbarimg,
/// pdftoppm, pdftotext), the way a user would.
enum ExternalTool {
    struct Result {
        var status: Int32
        var stdout: Data
        var output: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// The tool's absolute path, if it is on PATH.
    static func path(_ name: String) -> String? {
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in searchPath.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func available(_ names: String...) -> Bool {
        names.allSatisfy { path($0) != nil }
    }

    /// Runs `name` with `arguments`; stderr is discarded so a chatty tool
    /// cannot fill a pipe and block.
    static func run(_ name: String, _ arguments: [String]) throws -> Result {
        guard let executable = path(name) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name])
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: data)
    }

    /// What zbarimg reads from the image at `path`, one symbol per line, or
    /// nil if it finds none.
    static func decodeQR(_ path: String) throws -> [String]? {
        let result = try run("zbarimg", ["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", path])
        guard result.status == 0 else { return nil }
        return result.output.split(separator: "\n").map(String.init)
    }
}
