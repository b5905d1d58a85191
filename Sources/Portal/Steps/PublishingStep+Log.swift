import Foundation
import IssuanceLog
import PKI
import Record
import Registry

extension PublishingStep {
    /// The public issuance log under `log/` (c2sp.org/tlog-tiles): one entry
    /// per issuance event of the registry, in audit order; its tiles and
    /// entry bundles; the checkpoint, signed only when the log has grown and
    /// only if the new tree extends every checkpoint signed before (kept in
    /// the authority's home); and, for each document, the proof of its
    /// issuance entry to the first checkpoint that held it. A new checkpoint
    /// is signed on another thread as soon as the log's key is unlocked, so
    /// the documents are planned meanwhile, unless one of them is held only
    /// by the new checkpoint (its change key includes the signed note, and
    /// planning waits for it); `keepCheckpoint` keeps and publishes it.
    static let buildIssuanceLog = PublishingStep("Build the issuance log") { context in
        guard let source = context.source.log, let (events, prepared) = try context.pendingLog?.wait() else { return }
        let pending = context.pendingLogKey
        let built = IssuanceLogFiles.finish(prepared, source: source, unlock: { try pending?.wait() ?? source.unlock() })
        for (path, data) in built.files { context.plan(path, data: data) }
        var indexes: [String: Int] = [:]
        var bySerial: [String: Int] = [:]
        for (index, event) in events.enumerated() where event.kind == .documentSigned {
            // A document's last signature is the one whose entry names its final file.
            if let token = event.token { indexes[token] = index }
            if let serial = event.serialHex { bySerial[serial] = index }
        }
        context.issuanceLog = built
        context.logIndexes = indexes
        context.signatureLogIndexes = bySerial
    }

    /// Keeps in the authority's home the checkpoint the site served and the
    /// one signed by this publish (waiting for its signature), and plans
    /// `log/checkpoint`, before anything is written: a publish that fails
    /// earlier keeps nothing. (A fresh site's pages are written as they are
    /// rendered, so `renderDocuments` keeps the new checkpoint first there:
    /// no page ever shows a checkpoint the home does not keep.)
    static let keepCheckpoint = PublishingStep("Keep the issuance log's checkpoint") { context in
        try keepLogCheckpoints(context)
    }

    /// `keepCheckpoint`'s work, done once per publish: `log/checkpoint` is planned once it is kept.
    static func keepLogCheckpoints(_ context: PublishingContext) throws {
        guard context.planned["log/checkpoint"] == nil, let source = context.source.log,
              let built = context.issuanceLog else { return }
        context.plan("log/checkpoint", data: try built.keep(in: source))
    }

    /// Reads the issuance events and builds the log's tree and tiles on another
    /// core while the documents are read (`readRegistry` starts it once the
    /// publish's snapshot is fixed; `buildIssuanceLog` collects it). The
    /// events are read after the snapshot was taken, so the log holds at
    /// least every document the site shows.
    static func startIssuanceLog(_ context: PublishingContext) {
        guard let source = context.source.log else { return }
        let registry = context.source.registry
        // The checkpoint the site already serves counts too: a home restored
        // from an older backup must not sign a tree that forks from it.
        let servedURL = context.options.site.appendingPathComponent("log/checkpoint")
        context.pendingLog = Pending {
            let events = try registry.issuanceEvents()
            let served = try? String(contentsOf: servedURL, encoding: .utf8)
            let prepared = try IssuanceLogFiles.prepare(entries: events.map { LogEntry($0).data }, source: source,
                                                        served: served)
            return (events, prepared)
        }
    }
}

extension LogEntry {
    /// The entry of one registry event.
    init(_ event: IssuanceEvent) {
        let kind: Kind, status: String?
        switch event.kind {
        case .documentSigned: (kind, status) = (.documentSigned, PublicStatus.valid.rawValue)
        case .documentInvalidated: (kind, status) = (.documentInvalidated, PublicStatus.invalidated.rawValue)
        case .keyRevoked: (kind, status) = (.keyRevoked, PublicStatus.revoked.rawValue)
        case .caRenewed: (kind, status) = (.caRenewed, nil)
        }
        self.init(kind: kind, time: ISOTime.string(from: event.time), token: event.token, sha256: event.sha256,
                  serial: event.serialHex, fingerprint: event.fingerprintSHA256, status: status,
                  reason: event.reason.map(LogEntry.shortened(reason:)))
    }
}

/// The files of the issuance log, and the checkpoints it has signed, kept
/// in the authority's home: one file per tree size, holding the signed note.
public enum IssuanceLogFiles {
    /// An entry's place in the log: its index, its text, and the first
    /// checkpoint that held it.
    public struct Place: Sendable, Hashable {
        public let index: Int
        public let treeSize: Int
        public let entry: String
        public let checkpoint: String
    }

    /// What one publish makes of the log.
    public struct Built: Sendable {
        /// `log/…` path → bytes: every tile and entry bundle; the checkpoint
        /// (`log/checkpoint`) is added by `keep`.
        public var files: [String: Data]
        public let tree: MerkleTree
        let entries: [Data]
        /// Every checkpoint kept so far, and the one the site served, by tree size.
        let signed: [Int: (checkpoint: Checkpoint, note: String)]
        /// The tree sizes of those and of the new checkpoint, ascending.
        let sizes: [Int]
        /// The checkpoint of the whole tree when the log has grown: being
        /// signed on another thread as soon as the log's key is unlocked.
        let signing: Pending<String>?
        /// The checkpoint the site serves, when the home does not keep it yet.
        let servedToKeep: (size: Int, note: String)?
        public var signedNew: Bool { signing != nil }
        /// Which of them have had their signature checked (`inclusion` checks the others when it needs them).
        let checked: CheckedCheckpoints

        /// The tree size of the first checkpoint that held entry `index`.
        public func provenAt(_ index: Int) -> Int? {
            var low = 0, high = sizes.count
            while low < high {
                let middle = (low + high) / 2
                if sizes[middle] > index { high = middle } else { low = middle + 1 }
            }
            return low < sizes.count && index < entries.count ? sizes[low] : nil
        }

        /// The signed note of the checkpoint of tree size `size` (one of
        /// `sizes`); the new one once it is signed.
        func note(_ size: Int) throws -> String {
            if let kept = signed[size] { return kept.note }
            guard let signing, size == tree.size else {
                throw PortalError(.integrity, "the issuance log has no checkpoint of tree size \(size)", path: "log/checkpoint")
            }
            return try signing.wait()
        }

        /// Where entry `index` is proven: the first checkpoint that held it
        /// (its tree pins the proof, so this is all a fingerprint needs). The
        /// checkpoint's signature may not have been checked yet: what is
        /// published comes from `inclusion`. An entry only the new checkpoint
        /// holds waits for its signature.
        func place(_ index: Int) throws -> Place? {
            guard let size = provenAt(index) else { return nil }
            return Place(index: index, treeSize: size, entry: String(decoding: entries[index], as: UTF8.self),
                         checkpoint: try note(size))
        }

        /// The proof of entry `index` to the first checkpoint that held it,
        /// whose signature is checked first (once per publish) if it was not yet.
        public func inclusion(_ index: Int) throws -> PublishedRecord.LogInclusion? {
            guard let place = try place(index) else { return nil }
            try checked.require(place.treeSize, note: place.checkpoint)
            return PublishedRecord.LogInclusion(
                index: index, treeSize: place.treeSize, entry: place.entry,
                inclusion: tree.inclusionProof(index: index, treeSize: place.treeSize).map { $0.base64EncodedString() },
                checkpoint: place.checkpoint)
        }

        /// Keeps in `source.checkpoints` the checkpoint the site served, if
        /// the home lacked it, and the new one once it is signed; returns the
        /// bytes of `log/checkpoint`.
        public func keep(in source: PublishSource.IssuanceLogSource) throws -> Data {
            if let served = servedToKeep { try IssuanceLogFiles.keep(served.note, size: served.size, in: source.checkpoints) }
            let note = try note(tree.size)
            if signing != nil { try IssuanceLogFiles.keep(note, size: tree.size, in: source.checkpoints) }
            return Data(note.utf8)
        }
    }

    /// The log of `entries` (oldest first): refused unless its tree extends
    /// every checkpoint kept in `source.checkpoints`; a new checkpoint is
    /// signed (and kept) only when the tree has grown. Besides the current
    /// tree's tiles and bundles, the partial ones of earlier checkpoints stay
    /// while their full tile does not exist (c2sp.org/tlog-tiles).
    public static func build(entries: [Data], source: PublishSource.IssuanceLogSource, served: String? = nil,
                             unlock: (@Sendable () throws -> LogKey)? = nil) throws -> Built {
        var built = finish(try prepare(entries: entries, source: source, served: served), source: source, unlock: unlock)
        built.files["log/checkpoint"] = try built.keep(in: source)
        return built
    }

    /// What `build` works out before anything is signed or kept: the tree, the
    /// checkpoints it extends, and every file but the checkpoint.
    public struct Prepared: Sendable {
        let tree: MerkleTree
        let entries: [Data]
        let signed: [Int: (checkpoint: Checkpoint, note: String)]
        /// Which of them have had their signature checked: the newest kept one, the one the site serves.
        let checked: CheckedCheckpoints
        /// The checkpoint the site serves, when the home does not keep it yet.
        let servedToKeep: (size: Int, note: String)?
        let files: [String: Data]
    }

    /// `build`'s first half: reads and checks, writes nothing.
    public static func prepare(entries: [Data], source: PublishSource.IssuanceLogSource,
                               served: String? = nil) throws -> Prepared {
        var tree = MerkleTree()
        for entry in entries { tree.append(leafHash: MerkleTree.leafHash(entry)) }
        func extends(_ checkpoint: Checkpoint) -> Bool {
            checkpoint.size <= tree.size && tree.root(size: checkpoint.size) == checkpoint.root
        }
        /// Refuses a tree that does not extend `checkpoint` (`which` names it and the likely cause).
        func requireExtension(of checkpoint: Checkpoint, _ which: String) throws {
            guard extends(checkpoint) else {
                throw PortalError(.integrity, """
                    the issuance log of the registry (\(tree.size) entries) does not extend \(which); nothing was published
                    """, path: "log/checkpoint")
            }
        }
        var signed = try checkpoints(in: source.checkpoints, verifier: source.verifier)
        // The newest kept checkpoint is what the site serves while the log has not grown.
        let checked = CheckedCheckpoints(verifier: source.verifier, folder: source.checkpoints)
        if let newest = signed.keys.max() { try checked.require(newest, note: signed[newest]!.note) }
        for (size, kept) in signed.sorted(by: { $0.key < $1.key }) where !extends(kept.checkpoint) {
            // A damaged file, not a changed registry, when its signature does not verify either.
            try checked.require(size, note: kept.note)
            try requireExtension(of: kept.checkpoint, """
                the checkpoint the log signed at tree size \(size) \
                (\(keptFile(size, in: source.checkpoints))): an entry was changed or removed
                """)
        }
        var servedToKeep: (size: Int, note: String)?
        if let served, let checkpoint = try? Checkpoint.verify(served, with: source.verifier),
           checkpoint.origin == source.verifier.name, signed[checkpoint.size] == nil {
            try requireExtension(of: checkpoint, """
                the checkpoint the site already serves (\(checkpoint.size) entries): the registry or the authority's \
                home is older than the site, or an entry was changed
                """)
            servedToKeep = (checkpoint.size, served)
            signed[checkpoint.size] = (checkpoint, served)
            checked.markChecked(checkpoint.size)
        }

        var files: [String: Data] = [:]
        for tile in Tiles.tiles(of: tree, size: tree.size) { files["log/" + tile.path] = tile.data }
        for index in 0..<((tree.size + Tiles.width - 1) / Tiles.width) {
            let start = index * Tiles.width
            files["log/" + Tiles.entriesPath(index: index, width: min(Tiles.width, tree.size - start))] =
                Tiles.bundle(entries[start..<min(start + Tiles.width, tree.size)])
        }
        func fullNow(level: Int, index: Int) -> Bool { (index + 1) * Tiles.width <= tree.size >> (8 * level) }
        for size in signed.keys where size > 0 && size < tree.size {
            // Built only where no full tile replaces it, and once (sizes close together share their upper tiles).
            let partial = Tiles.partialTiles(of: tree, size: size) { level, index, width in
                !fullNow(level: level, index: index)
                    && files["log/" + Tiles.tilePath(level: level, index: index, width: width)] == nil
            }
            for tile in partial { files["log/" + tile.path] = tile.data }
            let index = size / Tiles.width, width = size % Tiles.width
            if width > 0 && !fullNow(level: 0, index: index) {
                files["log/" + Tiles.entriesPath(index: index, width: width)] = Tiles.bundle(entries[(index * Tiles.width)..<size])
            }
        }
        return Prepared(tree: tree, entries: entries, signed: signed, checked: checked, servedToKeep: servedToKeep,
                        files: files)
    }

    /// `build`'s second half: when the tree has grown, starts signing its
    /// checkpoint on another thread (with the key `unlock` gives, by default
    /// `source.unlock`). Nothing is kept until `Built.keep`.
    public static func finish(_ prepared: Prepared, source: PublishSource.IssuanceLogSource,
                              unlock: (@Sendable () throws -> LogKey)? = nil) -> Built {
        let tree = prepared.tree
        var sizes = prepared.signed.keys.sorted()
        var signing: Pending<String>?
        if sizes.last != tree.size {
            let checkpoint = Checkpoint(origin: source.verifier.name, size: tree.size, root: tree.root())
            let unlock = unlock ?? source.unlock, verifier = source.verifier, checked = prepared.checked
            // A thread of its own, which waits for the key's derivation and then signs in microseconds.
            signing = Pending(.low) {
                let key = try unlock()
                guard key.verifier.vkey == verifier.vkey else {
                    throw PortalError(.trust, "the unlocked issuance log key is not the one whose verifier key the authority publishes")
                }
                let note = try checkpoint.signed(by: key)
                checked.markChecked(checkpoint.size)
                return note
            }
            sizes.append(tree.size)
        }
        return Built(files: prepared.files, tree: tree, entries: prepared.entries, signed: prepared.signed, sizes: sizes,
                     signing: signing, servedToKeep: prepared.servedToKeep, checked: prepared.checked)
    }

    /// Every checkpoint kept in `folder`, read against `verifier` without
    /// checking its signature: a log keeps one per publish that grew it,
    /// thousands over the years, and a publish shows few of them
    /// (`CheckedCheckpoints` checks each when it is needed). The tree is
    /// checked against all of them.
    static func checkpoints(in folder: URL, verifier: VerifierKey) throws -> [Int: (checkpoint: Checkpoint, note: String)] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            if !FileManager.default.fileExists(atPath: folder.path) { return [:] }
            throw PortalError(.io, "cannot read the issuance log's checkpoints in \(folder.path)", path: folder.path)
        }
        var result: [Int: (checkpoint: Checkpoint, note: String)] = [:]
        let base = folder.path
        for name in names where !name.hasPrefix(".") {
            let file = keptFile(name, in: base)
            guard let size = Int(name), String(size) == name,
                  let data = FileManager.default.contents(atPath: file),
                  let note = String(validating: data, as: UTF8.self) else {
                throw PortalError(.integrity, "\(file) is not a checkpoint of the issuance log", path: file)
            }
            let checkpoint: Checkpoint
            do {
                checkpoint = try Checkpoint.unverified(note, signedBy: verifier).checkpoint
            } catch {
                throw PortalError(.integrity, "the kept checkpoint \(file): \(error)", path: file)
            }
            guard checkpoint.size == size, checkpoint.origin == verifier.name else {
                throw PortalError(.integrity, "the kept checkpoint \(file) is for another tree size or log", path: file)
            }
            result[size] = (checkpoint, note)
        }
        return result
    }

    /// The largest tree size a kept checkpoint has (by its file name), without reading them.
    static func latestKeptSize(in folder: URL) -> Int? {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).compactMap(Int.init).max()
    }

    /// The file in the home's `folder` that keeps the checkpoint of tree size `size`: named by the size.
    static func keptFile(_ size: Int, in folder: URL) -> String { keptFile(String(size), in: folder.path) }

    /// The file named `name` in the folder of kept checkpoints (at `folder`).
    static func keptFile(_ name: String, in folder: String) -> String { folder + "/" + name }

    /// Keeps a newly signed checkpoint (written to a temporary name, then renamed).
    static func keep(_ note: String, size: Int, in folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(note.utf8).write(to: URL(fileURLWithPath: keptFile(size, in: folder)), options: .atomic)
        } catch {
            throw PortalError(.io, "cannot keep the new checkpoint in \(folder.path): \(error.localizedDescription)",
                              path: folder.path)
        }
    }
}

/// The kept checkpoints whose signature has been checked in one publish;
/// `require` checks another one the first time it is needed. Safe to use
/// from the threads that render the documents.
final class CheckedCheckpoints: @unchecked Sendable {
    private let lock = NSLock()
    private var sizes: Set<Int> = []
    private let verifier: VerifierKey
    private let folder: URL

    init(verifier: VerifierKey, folder: URL) {
        self.verifier = verifier
        self.folder = folder
    }

    /// Records that the checkpoint of tree size `size` is known to be signed
    /// (verified on the way in, or signed in this publish).
    func markChecked(_ size: Int) {
        lock.withLock { _ = sizes.insert(size) }
    }

    /// Returns once `note`, the kept checkpoint of tree size `size`, is known to be signed by the log's key.
    func require(_ size: Int, note: String) throws {
        if lock.withLock({ sizes.contains(size) }) { return }
        do {
            _ = try Checkpoint.verify(note, with: verifier)
        } catch {
            let file = IssuanceLogFiles.keptFile(size, in: folder)
            throw PortalError(.integrity, "the kept checkpoint \(file): \(error)", path: file)
        }
        markChecked(size)
    }
}
