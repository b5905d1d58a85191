import Foundation
import ObjectStore
import PKI

/// `segel publish --to s3://BUCKET/PREFIX`: the site folder, as the last
/// local publish left it, copied into a bucket — only what differs from the
/// bucket's own copy of the manifest (`<prefix>/.segel-manifest.json`).
///
/// Order, so that the bucket never serves a page that links to something
/// missing: PDFs, certificates, assets and CA files first; then document
/// pages and records; then hash index shards; then what points at the rest
/// (site pages, CRLs, trust.json, statistics, the index layout); then the
/// deletions; then the manifest, written only if the bucket's copy is still
/// the one this run started from (`If-Match`, or `If-None-Match: *`).
///
/// Two publishers cannot interleave: a run first creates
/// `<prefix>/.segel-publish.lock` only if it does not exist. A lock left by a
/// killed run on this machine (its process is gone) is taken over, so the
/// next run finishes the job; one held by a live run fails cleanly.
public enum BucketPublisher {
    public struct Summary: Sendable, Encodable {
        public var target: String
        public var uploaded: Int
        public var deleted: Int
        public var unchanged: Int
        public var seconds: Double
        public var uploadedPaths: [String]

        enum CodingKeys: String, CodingKey {
            case target, uploaded, deleted, unchanged, seconds
            case uploadedPaths = "uploaded_paths"
        }
    }

    static let lockName = ".segel-publish.lock"

    public static func publish(site: URL, client: S3Client, jobs: Int = 8,
                               progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Summary {
        let started = Date()
        guard let local = try Manifest.read(site: site),
              let manifestData = try? Data(contentsOf: site.appendingPathComponent(Manifest.fileName)) else {
            throw PortalError(.usage, "\(site.path) has no published site to copy (run segel publish first)", path: Manifest.fileName)
        }
        let target = client.target
        // The lock first, then the manifest: a run that waited for another
        // one never copies against the manifest that run replaced.
        try acquireLock(client)
        let remote: (data: Data, etag: String?)?
        do {
            remote = try client.get(Manifest.fileName)
        } catch {
            try? client.delete(lockName)
            throw error
        }
        var remoteFiles: [String: String] = [:]
        do {
            if let remote {
                guard let manifest = Manifest.parse(remote.data) else {
                    throw PortalError(.integrity, "\(target)/\(Manifest.fileName) is not a segel manifest; empty the prefix or choose another")
                }
                remoteFiles = manifest.files
            }
            let changed = local.files.filter { remoteFiles[$0.key] != $0.value }.map(\.key).sorted()
            let removed = remoteFiles.keys.filter { local.files[$0] == nil }.sorted()
            let total = changed.count + removed.count
            let counter = Counter()
            for phase in 0...3 {
                let paths = changed.filter { Self.phase($0) == phase }
                try parallel(paths, jobs: jobs) { path in
                    let data: Data
                    do {
                        data = try Data(contentsOf: site.appendingPathComponent(path))
                    } catch {
                        throw PortalError(.io, "cannot read \(path) from the site folder", path: path)
                    }
                    guard Digest.hex(Digest.sha256(data)) == local.files[path] else {
                        throw PortalError(.integrity, "\(path) in \(site.path) no longer matches its manifest; publish again first", path: path)
                    }
                    try client.put(path, data, contentType: contentType(path), cacheControl: cacheControl(path))
                    progress?(counter.increment(), total)
                }
            }
            try parallel(removed, jobs: jobs) { path in
                try client.delete(path)
                progress?(counter.increment(), total)
            }
            if remote == nil || !changed.isEmpty || !removed.isEmpty {
                try client.put(Manifest.fileName, manifestData, contentType: "application/json", cacheControl: "no-cache",
                               ifMatch: remote?.etag, ifNoneMatch: remote == nil)
            }
            try client.delete(lockName)
            return Summary(target: target.description, uploaded: changed.count, deleted: removed.count,
                           unchanged: local.files.count - changed.count, seconds: Date().timeIntervalSince(started),
                           uploadedPaths: changed)
        } catch {
            // The lock stays only when this process dies; an error releases it
            // (what was uploaded stays: the next run compares with the same manifest).
            try? client.delete(lockName)
            throw error
        }
    }

    /// Creates the lock object, or takes over one a killed run on this machine left.
    private static func acquireLock(_ client: S3Client) throws {
        let host = ProcessInfo.processInfo.hostName
        let claim = #"{"host":"\#(host)","pid":\#(getpid()),"started":"\#(ISO8601DateFormatter().string(from: Date()))"}"#
        do {
            try client.put(lockName, Data(claim.utf8), contentType: "application/json", ifNoneMatch: true)
        } catch let error as ObjectStoreError where error.code == .preconditionFailed {
            guard let held = try client.get(lockName),
                  let object = try? JSONSerialization.jsonObject(with: held.data) as? [String: Any] else {
                throw PortalError(.busy, "another publish to \(client.target) holds \(lockName)")
            }
            let holder = object["host"] as? String ?? "?", pid = object["pid"] as? Int ?? 0
            let since = object["started"] as? String ?? "?"
            // Alive unless it ran on this machine and its process is gone.
            let gone = holder == host && pid > 0 && kill(pid_t(pid), 0) != 0 && errno == ESRCH
            let alive = !gone
            guard !alive, let etag = held.etag else {
                throw PortalError(.busy, "another publish to \(client.target) is in progress (host \(holder), process \(pid), since \(since)); if it was stopped on another machine, delete \(lockName) from the bucket")
            }
            do {
                try client.put(lockName, Data(claim.utf8), contentType: "application/json", ifMatch: etag)
            } catch let error as ObjectStoreError where error.code == .preconditionFailed {
                throw PortalError(.busy, "another publish to \(client.target) took over the interrupted one first")
            }
        }
    }

    /// 0: files nothing else needs first (PDFs, certificates, assets, the
    /// issuance log's tiles and bundles); 1: document pages and records; 2:
    /// hash index shards; 3: what points at the rest (the log's checkpoint too).
    static func phase(_ path: String) -> Int {
        if path.hasPrefix("log/tile/") { return 0 }
        if path.hasPrefix("api/hash/") { return path == "api/hash/layout.json" ? 3 : 2 }
        if path.hasPrefix("v/") || path.contains("/v/") || path.hasPrefix("api/verify/") { return 1 }
        if path.hasPrefix("d/") || path.hasPrefix("cert/") || path.hasPrefix("assets/") || path.hasPrefix("ca") { return 0 }
        return 3
    }

    static func contentType(_ path: String) -> String {
        // c2sp.org/tlog-tiles: the checkpoint is text, tiles and bundles are bytes.
        if path == "log/checkpoint" { return "text/plain; charset=utf-8" }
        if path.hasPrefix("log/tile/") { return "application/octet-stream" }
        return switch path.split(separator: ".").last.map(String.init) ?? "" {
        case "html": "text/html; charset=utf-8"
        case "json": "application/json"
        case "pdf": "application/pdf"
        case "crt": "application/pkix-cert"
        case "crl": "application/pkix-crl"
        case "pem": "application/x-pem-file"
        case "css": "text/css; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        case "txt": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }

    /// Signed PDFs, certificates and the log's tiles and bundles (partial
    /// ones too: a width is part of the name) never change; everything else may.
    static func cacheControl(_ path: String) -> String {
        if path.hasPrefix("d/") || path.hasPrefix("cert/") || path.hasPrefix("log/tile/") {
            return "public, max-age=31536000, immutable"
        }
        if path.hasPrefix("assets/") { return "public, max-age=3600" }
        return "no-cache"
    }

    private final class Counter: @unchecked Sendable {
        private var value = 0
        private let lock = NSLock()
        func increment() -> Int { lock.withLock { value += 1; return value } }
    }

    /// Runs `body` on every item with `jobs` threads; the first error stops the rest and is rethrown.
    private static func parallel(_ items: [String], jobs: Int, _ body: @escaping @Sendable (String) throws -> Void) throws {
        guard !items.isEmpty else { return }
        let lock = NSLock()
        nonisolated(unsafe) var next = 0
        nonisolated(unsafe) var failure: Error?
        DispatchQueue.concurrentPerform(iterations: min(jobs, items.count)) { _ in
            while true {
                let index: Int? = lock.withLock {
                    guard failure == nil, next < items.count else { return nil }
                    defer { next += 1 }
                    return next
                }
                guard let index else { return }
                do {
                    try body(items[index])
                } catch {
                    lock.withLock { if failure == nil { failure = error } }
                }
            }
        }
        if let failure { throw failure }
    }
}
