import Foundation
import ObjectStore
import Record

/// The lock one `segel publish --to` run holds on its prefix:
/// `<prefix>/.segel-publish.lock`, a small JSON object naming the run (host,
/// machine, process, a random nonce), how long its lease lasts, and its
/// journal, `<prefix>/.segel-publish.journal.json`: every path the run
/// uploads or deletes, written once (the lock, renewed often, stays small).
///
/// - Created only if absent (`If-None-Match: *`); every later write is
///   conditional on the ETag this run last wrote (`If-Match`), so a run
///   whose lock was taken over finds out at its next write and stops.
/// - Renewed at least every `renewal` seconds while objects are copied, and
///   before the journal, the deletions and the manifest are written. A lease
///   not renewed within `duration` seconds — by the service's clock: the
///   lock's `Last-Modified` against the `Date` of the answer, so machines'
///   clocks need not agree — belongs to a run that died, on whatever machine.
///   Until its lease ends a run sends no unconditional request
///   (`S3Client.deadline`), so a stalled run that wakes up after a takeover
///   stops instead of overwriting what the new holder copied.
/// - A run that stops on an error marks the lock `interrupted`, keeping its
///   journal; one killed outright leaves it `running` until its lease ends,
///   or at once when it ran on this machine (same host, boot and process
///   namespace) and its process is gone.
/// - The next run takes such a lock over and treats its journal's paths as
///   `unsettled`: the bucket may hold the old or the new bytes of each (or
///   none), so each is uploaded or deleted again, whatever the manifest says.
final class BucketLease: @unchecked Sendable {
    static let name = ".segel-publish.lock"
    static let journalName = ".segel-publish.journal.json"
    static let format = "segel-publish-lock/1"
    static let duration: TimeInterval = 300
    static let renewal: TimeInterval = 60
    /// Requests stop this long before the lease would end: time for the one in flight to finish.
    static let margin: TimeInterval = 60

    /// The lock object's JSON. Locks written before leases existed have only
    /// `host`, `pid` and `started`.
    struct Record: Codable, Equatable {
        var format: String?
        var host: String
        /// The boot and process namespace (`/proc`), which tell two containers with one host name apart.
        var machine: String?
        var pid: Int
        var nonce: String?
        var started: String
        /// The lease in seconds, counted from the lock's `Last-Modified`.
        var lease: Int?
        /// When the lease ends by the holder's clock, for people reading the lock.
        var expires: String?
        var state: String?
        /// `journalName` once the run has written it.
        var journal: String?
    }

    /// The journal's JSON.
    struct Journal: Codable {
        var paths: [String]
    }

    let client: S3Client
    /// Paths an interrupted run may have left in any state.
    let unsettled: [String]
    private var record: Record
    private var etag: String?
    /// When the last renewal was sent (this machine's clock: only intervals
    /// are taken from it), under its own lock: `S3Client.deadline` reads it
    /// while `lock` is held for a write.
    private var renewedAt: Date
    private let renewedLock = NSLock()
    private var renewed: Date {
        get { renewedLock.withLock { renewedAt } }
        set { renewedLock.withLock { renewedAt = newValue } }
    }
    private var lost = false
    private let lock = NSLock()

    private init(client: S3Client, record: Record, etag: String?, unsettled: [String], sent: Date) {
        self.client = client
        self.record = record
        self.etag = etag
        self.unsettled = unsettled
        renewedAt = sent
        client.deadline = { [weak self] in self?.deadline }
    }

    /// The time after which this run sends no more unconditional requests.
    private var deadline: Date {
        renewed + Self.duration - Self.margin
    }

    /// Creates the lock, or takes over one whose run is gone; fails with one
    /// sentence (`PortalError.busy`) while another run holds it.
    static func acquire(_ client: S3Client) throws -> BucketLease {
        let sent = Date()
        var record = Record(format: format, host: ProcessInfo.processInfo.hostName, machine: machineIdentity(),
                            pid: Int(getpid()), nonce: UUID().uuidString, started: ISOTime.string(from: sent),
                            lease: Int(duration), expires: ISOTime.string(from: sent + duration), state: "running")
        do {
            let etag = try client.put(name, try encode(record), contentType: "application/json",
                                      cacheControl: "no-cache", ifNoneMatch: true)
            return BucketLease(client: client, record: record, etag: etag, unsettled: [], sent: sent)
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
        let ends = leaseEnd(other, held)
        guard other.state == "interrupted" || isGone(other) || ends.map({ $0.end <= $0.now }) == true,
              let heldETag = held.etag else {
            let until = ends.map { "; its lease ends at \(ISOTime.string(from: $0.end)) (the service's clock) unless it is renewed" }
                ?? "; if it was stopped on another machine, delete \(name) from the bucket"
            throw PortalError(.busy, "another publish to \(target) is in progress (host \(other.host), process \(other.pid), since \(other.started))\(until)")
        }
        // Its journal stays, named by the lock, until this run's own journal lists the same paths too.
        var unsettled: [String] = []
        if let journal = other.journal {
            guard let data = try client.get(journal)?.data,
                  let paths = try? JSONDecoder().decode(Journal.self, from: data).paths else {
                throw PortalError(.integrity, "\(target)/\(journal), the list of paths an interrupted publish touched, is missing or unreadable; delete \(name), then publish to an empty prefix unless the bucket is known to be whole")
            }
            unsettled = paths
        }
        record.journal = other.journal
        do {
            let etag = try client.put(name, try encode(record), contentType: "application/json",
                                      cacheControl: "no-cache", ifMatch: heldETag)
            return BucketLease(client: client, record: record, etag: etag, unsettled: unsettled, sent: sent)
        } catch let error as ObjectStoreError where error.code == .preconditionFailed {
            throw PortalError(.busy, "another publish to \(target) took over the stopped one first")
        }
    }

    /// When a held lock's lease ends and the service's time now, both by the
    /// service's clock; nil when the lock or the service does not say.
    static func leaseEnd(_ record: Record, _ object: S3Client.Object) -> (end: Date, now: Date)? {
        guard let lease = record.lease, let written = object.lastModified, let now = object.serverDate else { return nil }
        // Last-Modified has whole seconds: one more, so a lease never ends early.
        return (written + TimeInterval(lease) + 1, now)
    }

    /// True for a lock whose run was on this machine and whose process is
    /// gone. A lock from before machines were recorded is judged by its host
    /// name alone, as then.
    static func isGone(_ record: Record) -> Bool {
        guard record.host == ProcessInfo.processInfo.hostName, record.pid > 0 else { return false }
        if let machine = record.machine {
            guard machine == machineIdentity() else { return false }
            // Another run with this run's process id, here: it is over.
            if record.pid == Int(getpid()) { return true }
        }
        return kill(pid_t(record.pid), 0) != 0 && errno == ESRCH
    }

    /// The boot and the process namespace this run sees: equal for two
    /// processes only when their process ids mean the same processes.
    static func machineIdentity() -> String? {
        guard let boot = try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8) else { return nil }
        var info = stat()
        guard stat("/proc/self/ns/pid", &info) == 0 else { return nil }
        return "\(boot.trimmingCharacters(in: .whitespacesAndNewlines))/\(info.st_ino)"
    }

    /// Writes the journal — the paths this run will touch, with those it
    /// inherited — and names it in the lock, before the run touches any.
    /// Renewed first: the journal is written only while this run holds the lock.
    func record(_ paths: [String]) throws {
        try lock.withLock {
            let all = Array(Set(unsettled).union(paths)).sorted()
            try write()
            guard !all.isEmpty else { return }
            try client.put(Self.journalName, try JSONEncoder().encode(Journal(paths: all)), contentType: "application/json",
                           cacheControl: "no-cache")
            record.journal = Self.journalName
            try write()
        }
    }

    /// Renews the lease when `renewal` seconds have passed since the last renewal.
    func renewIfDue() throws {
        try lock.withLock {
            guard Date().timeIntervalSince(renewed) >= Self.renewal else { return }
            try write()
        }
    }

    /// Renews the lease now, which also proves this run still holds the lock.
    func renew() throws {
        try lock.withLock { try write() }
    }

    /// The run finished: after one more renewal (a lock just renewed cannot
    /// have been taken over, so the one deleted is this run's), the lock
    /// goes, then the journal. Losing the lock here only means another run
    /// took over and will settle the same paths: nothing is deleted then.
    func release() throws {
        try lock.withLock {
            do {
                try write()
            } catch let error as PortalError where error.code == .busy {
                return
            }
            try client.delete(Self.name)
            // A stop right here leaves a journal no lock names; the next run that finishes deletes it.
            try? client.delete(Self.journalName)
        }
    }

    /// The run stopped on an error: a lock that names no journal goes; one
    /// that does is marked `interrupted`, so the next run, from any machine,
    /// takes it over at once and settles those paths. Either only while this
    /// run still holds it. Best effort: if even that fails, the lease runs out.
    func abandon() {
        lock.withLock {
            guard !lost else { return }
            if record.journal == nil {
                guard (try? write()) != nil else { return }
                try? client.delete(Self.name)
            } else {
                record.state = "interrupted"
                try? write()
            }
        }
    }

    /// Writes the record, renewing the lease, if this run still holds the lock. Called under `lock`.
    private func write() throws {
        let sent = Date()
        record.expires = ISOTime.string(from: sent + Self.duration)
        do {
            etag = try client.put(Self.name, try Self.encode(record), contentType: "application/json",
                                  cacheControl: "no-cache", ifMatch: etag ?? "*")
            renewed = sent
        } catch let error as ObjectStoreError where error.code == .preconditionFailed {
            lost = true
            throw PortalError(.busy, "another publish to \(client.target) took over this run's lock (its lease had run out); this run stopped, and that one settles what it had begun")
        }
    }

    private static func encode(_ record: Record) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(record)
    }
}
