import Foundation
import ObjectStore
import Record

/// The lock one `segel publish --to` run holds on its prefix:
/// `<prefix>/.segel-publish.lock`, a small JSON object naming the run (host,
/// process, a random nonce), when its lease ends, and its journal:
/// `<prefix>/.segel-publish.<nonce>.json`, every path the run uploads or
/// deletes, written once (the lock, renewed every minute, stays small).
///
/// - Created only if absent (`If-None-Match: *`); every later write is
///   conditional on the ETag this run last wrote (`If-Match`), so a run
///   whose lock was taken over finds out at its next write and stops.
/// - Renewed while the run lasts (every `renewal` seconds, and before the
///   deletions and the manifest); a lease that was not renewed within
///   `duration` belongs to a run that died, on whatever machine.
/// - A run that stops on an error marks the lock `interrupted`, keeping its
///   journal; one killed outright leaves it `running` until its lease ends,
///   or at once when it ran on this machine and its process is gone.
/// - The next run takes such a lock over and treats its journal's paths as
///   `unsettled`: the bucket may hold the old or the new bytes of each, so
///   each is uploaded or deleted again, whatever the manifest says.
final class BucketLease: @unchecked Sendable {
    static let name = ".segel-publish.lock"
    static let format = "segel-publish-lock/1"
    static let duration: TimeInterval = 300
    static let renewal: TimeInterval = 60

    /// The lock object's JSON. Locks written before leases existed have only
    /// `host`, `pid` and `started`.
    struct Record: Codable, Equatable {
        var format: String?
        var host: String
        var pid: Int
        var nonce: String?
        var started: String
        var expires: String?
        var state: String?
        /// The journal's name (relative to the prefix), once written.
        var journal: String?
    }

    /// The journal's JSON.
    struct Journal: Codable {
        var paths: [String]
    }

    let client: S3Client
    /// Paths an interrupted run may have left in either state.
    let unsettled: [String]
    /// The journal of the run taken over, deleted once this run's own journal names its paths too.
    private var inherited: String?
    private var record: Record
    private var etag: String?
    private var renewed = Date()
    private var lost = false
    private let lock = NSLock()

    private init(client: S3Client, record: Record, etag: String?, unsettled: [String], inherited: String? = nil) {
        self.client = client
        self.record = record
        self.etag = etag
        self.unsettled = unsettled
        self.inherited = inherited
    }

    /// Creates the lock, or takes over one whose run is gone; fails with one
    /// sentence (`PortalError.busy`) while another run holds it.
    static func acquire(_ client: S3Client, now: Date = Date()) throws -> BucketLease {
        let host = ProcessInfo.processInfo.hostName
        var record = Record(format: format, host: host, pid: Int(getpid()), nonce: UUID().uuidString,
                            started: ISOTime.string(from: now), expires: ISOTime.string(from: now + duration),
                            state: "running")
        do {
            let etag = try client.put(name, try encode(record), contentType: "application/json",
                                      cacheControl: "no-cache", ifNoneMatch: true)
            return BucketLease(client: client, record: record, etag: etag, unsettled: [])
        } catch let error as ObjectStoreError where error.code == .preconditionFailed {
            // Held: taken over below if its run is gone.
        }
        let target = client.target
        guard let held = try client.get(name) else {
            throw PortalError(.busy, "another publish to \(target) held \(name) a moment ago; run again")
        }
        guard let other = try? JSONDecoder().decode(Record.self, from: held.data) else {
            throw PortalError(.busy, "\(target)/\(name) is not a segel lock; delete it if no publish to \(target) is running")
        }
        let expires = other.expires.flatMap(ISOTime.date(from:))
        let gone = other.host == host && other.pid > 0 && kill(pid_t(other.pid), 0) != 0 && errno == ESRCH
        let takeOver = other.state == "interrupted" || gone || (expires.map { $0 < now } ?? false)
        guard takeOver, let heldETag = held.etag else {
            let until = expires.map { "; its lock lasts until \(ISOTime.string(from: $0)) unless it renews it" }
                ?? "; if it was stopped on another machine, delete \(name) from the bucket"
            throw PortalError(.busy, "another publish to \(target) is in progress (host \(other.host), process \(other.pid), since \(other.started))\(until)")
        }
        // Its journal stays until this run's own one lists the same paths, so no stop loses them.
        var unsettled: [String] = []
        if let journal = other.journal {
            guard let data = try client.get(journal)?.data,
                  let paths = try? JSONDecoder().decode(Journal.self, from: data).paths else {
                throw PortalError(.integrity, "\(target)/\(journal), the list of paths an interrupted publish touched, is missing or unreadable; publish to an empty prefix, or delete \(name) after checking the bucket")
            }
            unsettled = paths
        }
        record.journal = other.journal
        do {
            let etag = try client.put(name, try encode(record), contentType: "application/json",
                                      cacheControl: "no-cache", ifMatch: heldETag)
            return BucketLease(client: client, record: record, etag: etag, unsettled: unsettled, inherited: other.journal)
        } catch let error as ObjectStoreError where error.code == .preconditionFailed {
            throw PortalError(.busy, "another publish to \(target) took over the interrupted one first")
        }
    }

    /// Writes the journal — the paths this run will touch, with those it
    /// inherited — and names it in the lock, before the run touches any.
    func record(_ paths: [String]) throws {
        try lock.withLock {
            let all = Array(Set(unsettled).union(paths)).sorted()
            guard !all.isEmpty else { return }
            let journal = ".segel-publish.\(record.nonce ?? "run").json"
            try client.put(journal, try JSONEncoder().encode(Journal(paths: all)), contentType: "application/json",
                           cacheControl: "no-cache")
            record.journal = journal
            try write()
            if let inherited, inherited != journal {
                try client.delete(inherited)
                self.inherited = nil
            }
        }
    }

    /// Extends the lease when `renewal` seconds have passed since the last write.
    func renewIfDue() throws {
        try lock.withLock {
            guard Date().timeIntervalSince(renewed) >= Self.renewal else { return }
            try write()
        }
    }

    /// Extends the lease now, which also proves this run still holds the lock.
    func renew() throws {
        try lock.withLock { try write() }
    }

    /// The run finished: the lock goes, then its journal (a stop in between
    /// leaves a journal no lock names, which nothing reads).
    func release() throws {
        try client.delete(Self.name)
        if let journal = record.journal { try client.delete(journal) }
    }

    /// The run stopped on an error: a lock that names no journal goes; one
    /// that does is marked `interrupted`, so the next run, from any machine,
    /// takes it over at once and settles those paths. Best effort: if even
    /// that fails, the lease runs out.
    func abandon() {
        lock.withLock {
            guard !lost else { return }
            if record.journal == nil {
                try? client.delete(Self.name)
            } else {
                record.state = "interrupted"
                try? write()
            }
        }
    }

    /// Writes the record with a new lease end, if this run still holds the lock. Called under `lock`.
    private func write() throws {
        let now = Date()
        record.expires = ISOTime.string(from: now + Self.duration)
        do {
            etag = try client.put(Self.name, try Self.encode(record), contentType: "application/json",
                                  cacheControl: "no-cache", ifMatch: etag ?? "*")
            renewed = now
        } catch let error as ObjectStoreError where error.code == .preconditionFailed {
            lost = true
            throw PortalError(.busy, "another publish to \(client.target) took over this run's lock (it was not renewed in time); this run stopped, and the next one finishes its work")
        }
    }

    private static func encode(_ record: Record) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(record)
    }
}
