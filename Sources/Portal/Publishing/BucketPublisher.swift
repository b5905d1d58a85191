import Foundation
import ObjectStore
import PKI

/// `segel publish --to s3://BUCKET/PREFIX`: the site folder, as the last
/// local publish left it, copied into a bucket — only what differs from the
/// bucket's own copy of the manifest (`<prefix>/.segel-manifest.json`).
///
/// Order, so that the bucket never serves a page that links to something
/// missing (`uploadOrder`): objects the bucket does not have yet first, then
/// the ones replaced, each group by `phase` (PDFs, certificates, assets and CA
/// files; document pages and records; hash index shards; what points at the
/// rest: site pages, CRLs, trust.json, statistics, the index layout); then the
/// deletions; then the manifest, written only if the bucket's copy is still
/// the one this run started from (`If-Match`, or `If-None-Match: *`).
///
/// Two publishers cannot interleave: a run holds `<prefix>/.segel-publish.lock`
/// (`BucketLease`), created only if it does not exist and renewed while the
/// run lasts. Before the first upload the run's journal, named in the lock,
/// lists every path it will touch; a run that stops (an error, Ctrl-C,
/// kill -9, a lost network) leaves both, and the next run uploads or deletes
/// those paths again whatever the manifest says, since the bucket may hold
/// either version.
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

    /// `stop` is asked before each object: once it says true, no new one
    /// starts, and the run ends as a stopped one (`PortalError.interrupted`,
    /// the lock marked for the next run to take over at once).
    public static func publish(site: URL, client: S3Client, jobs: Int = 8,
                               stop: (@Sendable () -> Bool)? = nil,
                               progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Summary {
        let started = Date()
        // Read once: the bytes uploaded as the manifest are the ones the uploads are checked against.
        guard let (local, manifestData) = try Manifest.readWithBytes(site: site) else {
            throw PortalError(.usage, "\(site.path) has no published site to copy (run segel publish first)", path: Manifest.fileName)
        }
        let target = client.target
        // The lock first, then the manifest: a run that waited for another
        // one never copies against the manifest that run replaced.
        let lease = try BucketLease.acquire(client)
        do {
            let remote = try client.get(Manifest.fileName)
            var remoteFiles: [String: String] = [:]
            if let remote {
                guard let manifest = Manifest.parse(remote.data) else {
                    if let format = Manifest.declaredFormat(remote.data), format.hasPrefix("segel-manifest/") {
                        throw PortalError(.integrity, "\(target)/\(Manifest.fileName) was written by another version of segel (\(format); this one writes \(Manifest.format)); publish with that version, or choose another prefix")
                    }
                    throw PortalError(.integrity, "\(target)/\(Manifest.fileName) is not a segel manifest; choose another prefix, or empty this one if nothing else uses it")
                }
                remoteFiles = manifest.files
            }
            let unsettled = Set(lease.unsettled)
            let changed = local.files.filter { remoteFiles[$0.key] != $0.value || unsettled.contains($0.key) }.map(\.key).sorted()
            let removed = Set(remoteFiles.keys.filter { local.files[$0] == nil })
                .union(unsettled.filter { local.files[$0] == nil }).sorted()
            try lease.record(changed + removed)
            let total = changed.count + removed.count
            let counter = Counter()
            // An unsettled path may be missing from the bucket whatever its manifest says: it counts as new.
            for group in uploadOrder(changed, remote: remoteFiles.filter { !unsettled.contains($0.key) }) {
                try parallel(group, jobs: jobs, stop: stop, counter: counter, total: total) { path in
                    let data: Data
                    do {
                        data = try Data(contentsOf: site.appendingPathComponent(path))
                    } catch {
                        throw PortalError(.io, "cannot read \(path) from the site folder", path: path)
                    }
                    guard Digest.hex(Digest.sha256(data)) == local.files[path] else {
                        throw PortalError(.integrity, "\(path) in \(site.path) no longer matches its manifest; publish again first", path: path)
                    }
                    try lease.renewIfDue()
                    try client.put(path, data, contentType: contentType(path), cacheControl: cacheControl(path))
                    progress?(counter.increment(), total)
                }
            }
            try lease.renew()
            try parallel(removed, jobs: jobs, stop: stop, counter: counter, total: total) { path in
                try lease.renewIfDue()
                try client.delete(path)
                progress?(counter.increment(), total)
            }
            if remote == nil || !changed.isEmpty || !removed.isEmpty {
                try lease.renew()
                try client.put(Manifest.fileName, manifestData, contentType: "application/json", cacheControl: "no-cache",
                               ifMatch: remote?.etag, ifNoneMatch: remote == nil)
            }
            try lease.release()
            return Summary(target: target.description, uploaded: changed.count, deleted: removed.count,
                           unchanged: local.files.count - changed.count, seconds: Date().timeIntervalSince(started),
                           uploadedPaths: changed)
        } catch {
            lease.abandon()
            throw error
        }
    }

    /// The uploads in the order they may run, each group after the one
    /// before it has finished: first the paths the bucket does not have yet
    /// (nothing it serves links to them yet), then the ones it has, each
    /// group by `phase`, so that what a file links to is always there first.
    static func uploadOrder(_ paths: [String], remote: [String: String]) -> [[String]] {
        let added = paths.filter { remote[$0] == nil }, replaced = paths.filter { remote[$0] != nil }
        return [added, replaced].flatMap { group in
            (0...3).map { phase in group.filter { Self.phase($0) == phase } }
        }.filter { !$0.isEmpty }
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
        // Assets keep their names from one version to the next: a browser
        // holding an older verify.js could look for an index layout that is
        // gone, so they are revalidated like the pages.
        return "no-cache"
    }

    private final class Counter: @unchecked Sendable {
        private var count = 0
        private let lock = NSLock()
        func increment() -> Int { lock.withLock { count += 1; return count } }
        var value: Int { lock.withLock { count } }
    }

    /// Runs `body` on every item with `jobs` threads; the first error stops
    /// the rest and is rethrown. Once `stop` says true, no item starts.
    private static func parallel(_ items: [String], jobs: Int, stop: (@Sendable () -> Bool)?, counter: Counter, total: Int,
                                 _ body: @escaping @Sendable (String) throws -> Void) throws {
        guard !items.isEmpty else { return }
        @Sendable func stopped() -> PortalError {
            PortalError(.interrupted, "stopped by Ctrl-C after \(counter.value) of \(total) objects; run the same command again to finish (from any machine)")
        }
        if stop?() == true { throw stopped() }
        let lock = NSLock()
        nonisolated(unsafe) var next = 0
        nonisolated(unsafe) var failure: Error?
        DispatchQueue.concurrentPerform(iterations: min(jobs, items.count)) { _ in
            while true {
                let index: Int? = lock.withLock {
                    guard failure == nil, next < items.count else { return nil }
                    if stop?() == true {
                        failure = stopped()
                        return nil
                    }
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
