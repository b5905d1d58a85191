import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real server on 127.0.0.1, started and stopped by a test: Python's
/// `http.server` serving a published site (with its 404.html for missing paths), or `scripts/support/tsa-server.py`
/// (an RFC 3161 server answering with `openssl ts -reply`).
public final class LoopbackServer: @unchecked Sendable {
    private let process: Process
    /// The server's base URL, without a trailing slash.
    public let url: String
    /// The same with a trailing slash.
    public var baseURL: String { url + "/" }

    private init(process: Process, url: String) {
        self.process = process
        self.url = url
    }

    deinit { stop() }

    /// A TCP port nothing listens on now (bound once and released).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ValidatorError("cannot open a socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw ValidatorError("cannot bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// `scripts/support/static-server.py DIRECTORY PORT` (Python's http.server
    /// answering a missing path with the site's 404.html, as static hosts do),
    /// once it accepts connections. `port` nil: a free one.
    public static func staticSite(_ directory: URL, port: Int? = nil) throws -> LoopbackServer {
        let port = try port ?? freePort()
        let script = TestPaths.packageRoot.appendingPathComponent("scripts/support/static-server.py")
        let process = try start([script.path, directory.path, String(port)])
        let server = LoopbackServer(process: process, url: "http://127.0.0.1:\(port)")
        try server.waitUntilListening(port: port)
        return server
    }

    /// `scripts/support/tsa-server.py WORK`: a throwaway TSA (its root in `WORK/root.pem`).
    public static func timestampAuthority(work: URL) throws -> LoopbackServer {
        let script = TestPaths.packageRoot.appendingPathComponent("scripts/support/tsa-server.py")
        let output = Pipe()
        let process = try start([script.path, work.path], stdout: output)
        let line = try readLine(output.fileHandleForReading, timeout: 30)
        guard let url = line, let port = URLComponents(string: url)?.port else {
            process.terminate()
            throw ValidatorError("the loopback TSA did not start")
        }
        let server = LoopbackServer(process: process, url: url)
        try server.waitUntilListening(port: port)
        return server
    }

    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    private static func start(_ arguments: [String], stdout: Pipe? = nil) throws -> Process {
        let process = Process()
        process.executableURL = try Tools.locate("python3")
        process.arguments = arguments
        process.standardOutput = stdout ?? FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    private static func readLine(_ handle: FileHandle, timeout: TimeInterval) throws -> String? {
        var buffer = Data()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
            if let newline = buffer.firstIndex(of: 0x0A) {
                return String(decoding: buffer[..<newline], as: UTF8.self)
            }
        }
        return nil
    }

    private func waitUntilListening(port: Int) throws {
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            guard process.isRunning else { throw ValidatorError("the loopback server on port \(port) exited") }
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(port).bigEndian
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            close(fd)
            if connected { return }
            usleep(50_000)
        }
        throw ValidatorError("the loopback server on port \(port) did not start listening")
    }
}
