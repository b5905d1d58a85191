import Foundation
import GRDB

/// The authority's records: one SQLite file, `<home>/registry.sqlite`, opened
/// through a GRDB `DatabasePool` (WAL, foreign keys on).
///
/// Every operation is one IMMEDIATE transaction that also appends its audit
/// rows, so a failing operation leaves nothing behind and two processes (or
/// two `Registry` instances) on the same home serialise their writes instead
/// of losing one. A writer that finds the database locked by another process
/// waits: after about a second it calls `onWait` once, then keeps waiting up to
/// `waitLimit` before throwing `.busy`.
public final class Registry: Sendable {
    /// The authority home folder.
    public let home: URL
    /// `<home>/registry.sqlite`.
    public let databaseURL: URL
    /// Written into every audit row's `actor` column.
    public let actor: String
    /// How long a write waits for another process's lock before failing.
    public let waitLimit: TimeInterval
    /// Content-addressed storage for submitted files, under the same home.
    public let fileStore: FileStore

    let pool: DatabasePool
    let clock: @Sendable () -> Date

    public static let databaseFileName = "registry.sqlite"
    public static let defaultWaitLimit: TimeInterval = 60

    /// Opens the registry in `home`, running pending migrations.
    ///
    /// - Parameters:
    ///   - create: create the folder and database when missing (`segel init`);
    ///     otherwise a missing database is `.notFound`.
    ///   - actor: recorded in the audit log as who performed each step.
    ///   - onWait: called once per wait when another process has held the
    ///     write lock for about a second, with a sentence to show the user.
    ///   - clock: the time source; every stored time is rounded to the millisecond.
    public init(home: URL,
                create: Bool = false,
                actor: String = "segel",
                waitLimit: TimeInterval = Registry.defaultWaitLimit,
                onWait: (@Sendable (String) -> Void)? = nil,
                clock: @escaping @Sendable () -> Date = { Date() }) throws {
        self.home = home.standardizedFileURL
        self.databaseURL = self.home.appendingPathComponent(Registry.databaseFileName)
        self.actor = actor
        self.waitLimit = waitLimit
        self.clock = clock
        self.fileStore = FileStore(home: self.home)

        let manager = FileManager.default
        if !manager.fileExists(atPath: databaseURL.path) {
            guard create else {
                throw RegistryError(.notFound,
                    "there is no registry at \(databaseURL.path); run `segel init` first")
            }
            do {
                try manager.createDirectory(at: self.home, withIntermediateDirectories: true,
                                            attributes: [.posixPermissions: 0o700])
            } catch {
                throw RegistryError(.database,
                    "could not create the authority home \(self.home.path): \(error.localizedDescription)")
            }
        }

        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .callback(Registry.busyHandler(
            path: databaseURL.path, waitLimit: waitLimit, onWait: onWait))
        configuration.label = "segel.registry"
        // Sorts and temporary indexes stay in memory: a publish's queries sort
        // thousands of rows (each key with its certificate), which SQLite would
        // otherwise spill into files under /var/tmp.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA temp_store = MEMORY") }
        do {
            pool = try DatabasePool(path: databaseURL.path, configuration: configuration)
            // GRDB leaves a pool's writer at synchronous = NORMAL, where a commit in WAL
            // mode is not flushed and a power cut can take back the last transactions —
            // a signature the CLI already reported. FULL flushes the WAL at every commit.
            try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
            try RegistrySchema.migrator.migrate(pool)
        } catch {
            throw Registry.translate(error, path: databaseURL.path, waitLimit: waitLimit,
                                     doing: "open the registry")
        }
    }

    /// SQLite's busy handler (https://www.sqlite.org/c3ref/busy_handler.html):
    /// `tries` counts the invocations for the current lock, so sleeping a fixed
    /// slice per try measures the wait without any shared state.
    private static func busyHandler(path: String, waitLimit: TimeInterval,
                                    onWait: (@Sendable (String) -> Void)?) -> Database.BusyCallback {
        let slice: TimeInterval = 0.01
        let announceAfter = Int((1.0 / slice).rounded())
        let giveUpAfter = max(1, Int((waitLimit / slice).rounded()))
        return { tries in
            if tries >= giveUpAfter { return false }
            if tries == announceAfter {
                onWait?("waiting for another segel process to finish with \(path)…")
            }
            usleep(useconds_t(slice * 1_000_000))
            return true
        }
    }

    /// The current time, rounded to what the registry stores.
    var now: Date { Timestamp.normalized(clock()) }

    /// Runs `body` in one IMMEDIATE write transaction; a thrown error rolls it back.
    func write<T>(_ doing: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.write(body)
        } catch {
            throw Registry.translate(error, path: databaseURL.path, waitLimit: waitLimit, doing: doing)
        }
    }

    /// Runs `body` on a consistent snapshot.
    func read<T>(_ doing: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch {
            throw Registry.translate(error, path: databaseURL.path, waitLimit: waitLimit, doing: doing)
        }
    }

    /// Maps SQLite and file errors to `RegistryError`; registry errors pass through.
    static func translate(_ error: any Error, path: String, waitLimit: TimeInterval,
                          doing: String) -> RegistryError {
        if let error = error as? RegistryError { return error }
        guard let error = error as? DatabaseError else {
            return RegistryError(.database, "could not \(doing) in \(path): \(error.localizedDescription)")
        }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return RegistryError(.busy,
                "could not \(doing): another process kept \(path) locked for more than \(String(format: "%g", waitLimit)) s")
        case .SQLITE_CONSTRAINT where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE:
            return RegistryError(.duplicate,
                "could not \(doing): \(error.message ?? "a unique value is already taken")")
        default:
            return RegistryError(.database, "could not \(doing) in \(path): \(error.message ?? "\(error)")")
        }
    }

    /// The next free id of a table. Writes are serialised, so MAX + 1 cannot
    /// race; records therefore always carry their id, never an optional one.
    static func nextID(_ db: Database, table: String) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(MAX(id), 0) + 1 FROM \(table)")) ?? 1
    }
}
