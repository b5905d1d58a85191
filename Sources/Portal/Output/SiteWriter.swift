import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes files into the site folder so that a crash leaves every file either
/// as it was or complete: the bytes of a file that exists go to a hidden
/// temporary name in the same folder and are renamed over it (rename(2)
/// replaces atomically).
///
/// A file that does not exist yet has nothing to protect, so with
/// `createsInPlace` (a publish with no manifest, e.g. into a new folder) it
/// is created under its own name with O_EXCL — half the directory updates of
/// a temporary name and a rename, which is what a first publish of ~90,000
/// files spends most of its time on. A crash then can leave a partial file
/// that was never there before, but no manifest either, and the next publish,
/// having no manifest, rewrites every file (through a temporary name, since
/// the file now exists). If the name exists, the file is replaced as usual.
///
/// A large publish does not fsync its files one by one — a site has tens of
/// thousands of them — but flushes the file system once (`flush()`) before
/// the manifest is written, so the manifest never describes files that a
/// power cut could still lose; a small one (an invalidation) fsyncs each
/// file and its folder instead (`durable`, `syncFolders`). This is why the
/// portal does not use Authority's `AtomicFile`, which syncs every file.
///
/// Files with the same bytes written in one publish — above all the ~65,000
/// empty hash index shards — share one inode: the second and later copies are
/// hard links. Allocating tens of thousands of inodes is the slowest part of a
/// first publish on some file systems, and a link allocates none. No file is
/// ever overwritten in place, so a later change to one of them (a new shard
/// entry) replaces that path alone. Where links are not possible (another file
/// system, FAT, some network mounts) the bytes are written as usual.
///
/// Paths are reached through descriptors of their folders (`FolderDescriptors`).
final class SiteWriter: Sendable {
    let root: URL
    /// Create missing files under their own name (see above).
    let createsInPlace: Bool
    private let rootPath: String
    private let folders: FolderDescriptors
    private let twins = LinkSources()
    /// The umask would take bits off 0644, so each new file needs an fchmod.
    private let fixesMode: Bool

    init(root: URL, createsInPlace: Bool = false) throws {
        self.root = root.standardizedFileURL
        self.createsInPlace = createsInPlace
        rootPath = self.root.path
        do {
            try FileManager.default.createDirectory(at: self.root, withIntermediateDirectories: true)
        } catch {
            throw PortalError(.io, "cannot create the site folder \(rootPath)", path: rootPath)
        }
        folders = try FolderDescriptors(rootPath: rootPath)
        fixesMode = Self.umask().map { $0 & 0o644 != 0 } ?? true
    }

    func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    /// Puts `data`, whose SHA-256 is `sha256`, at `path` (relative to the
    /// site); a file with the same hash written earlier in this publish is
    /// linked rather than written again. With `durable`, the file is fsync'd
    /// before it is renamed into place (for small publishes, where that is
    /// cheaper than flushing the file system). `twins: false` says the bytes
    /// are known to be unique (a document's own page), so no link is looked for.
    /// `wholeOrNothing` makes even a new file appear only once complete (the
    /// manifest, which must never be read half-written).
    func write(_ data: Data, sha256: String, to path: String, permissions: mode_t = 0o644,
               durable: Bool = false, twins sharesInode: Bool = true, wholeOrNothing: Bool = false) throws {
        try data.withUnsafeBytes { bytes in
            try write(bytes, sha256: sha256, to: path, permissions: permissions, durable: durable, twins: sharesInode,
                      wholeOrNothing: wholeOrNothing)
        }
    }

    /// `write(_:sha256:to:)` for bytes in memory of any kind.
    func write(_ bytes: UnsafeRawBufferPointer, sha256: String, to path: String, permissions: mode_t = 0o644,
               durable: Bool = false, twins sharesInode: Bool = true, wholeOrNothing: Bool = false) throws {
        let (base, relative) = try folders.locate(path)
        if sharesInode, let source = twins.source(for: sha256) {
            if try link(source, from: folders.root, base: base, relative: relative, path: path) { return }
            twins.disable(sha256)
        }
        if createsInPlace && !wholeOrNothing {
            let fd = openat(base, relative, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
            if fd >= 0 {
                try fill(fd, with: bytes, at: relative, in: base, path: path, permissions: permissions, durable: durable)
                if sharesInode { twins.offer(path, for: sha256) }
                return
            }
            guard errno == EEXIST else { throw failure("cannot create", path) }
        }
        let temp = Self.temporaryName(relative)
        let fd = openat(base, temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, permissions)
        guard fd >= 0 else { throw failure("cannot create a temporary file for", path) }
        try fill(fd, with: bytes, at: temp, in: base, path: path, permissions: permissions, durable: durable)
        guard renameat(base, temp, base, relative) == 0 else {
            let error = failure("cannot move into place", path)
            unlinkat(base, temp, 0)
            throw error
        }
        if sharesInode { twins.offer(path, for: sha256) }
    }

    /// Puts `file` (an existing file outside the site, e.g. a signed PDF in
    /// the authority home) at `path` as a hard link, when it is on the same
    /// file system and readable by everyone; returns false when it is not, so
    /// the caller writes a copy.
    func linkExternal(_ file: String, to path: String) throws -> Bool {
        var info = stat()
        guard stat(file, &info) == 0, info.st_mode & 0o444 == 0o444 else { return false }
        let (base, relative) = try folders.locate(path)
        return try link(file, from: AT_FDCWD, base: base, relative: relative, path: path)
    }

    /// Deletes `path` and then any folders it leaves empty (up to the site root).
    func remove(_ path: String) throws {
        if unlinkat(folders.root, path, 0) != 0 && errno != ENOENT { throw failure("cannot delete", path) }
        var folder = path
        while let slash = folder.lastIndex(of: "/") {
            folder = String(folder[..<slash])
            if unlinkat(folders.root, folder, AT_REMOVEDIR) != 0 { break }
            folders.forget(folder)
        }
    }

    func exists(_ path: String) -> Bool {
        var info = stat()
        return fstatat(folders.root, path, &info, AT_SYMLINK_NOFOLLOW) == 0
    }

    /// Makes everything written so far durable: syncfs(2) of the site's file
    /// system (sync(2) where syncfs is missing) rather than one fsync(2) per
    /// file and folder. On Linux it returns only once the data is written.
    func flush() {
        if let syncfs = Self.syncfs {
            _ = syncfs(folders.root)
        } else {
            sync()
        }
    }

    /// Makes renames in these folders (relative to the site) durable.
    func syncFolders(_ folders: Set<String>) {
        for folder in folders {
            let fd = folder.isEmpty ? dup(self.folders.root)
                : openat(self.folders.root, folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fd >= 0 {
                fsync(fd)
                close(fd)
            }
        }
    }

    /// Links `source` (relative to `sourceBase`) at `relative` from `base`,
    /// replacing what is there; false when links are not possible.
    private func link(_ source: String, from sourceBase: Int32, base: Int32, relative: String,
                      path: String) throws -> Bool {
        if createsInPlace {
            if linkat(sourceBase, source, base, relative, 0) == 0 { return true }
            guard errno == EEXIST else { return false }
        }
        let temp = Self.temporaryName(relative)
        unlinkat(base, temp, 0)
        guard linkat(sourceBase, source, base, temp, 0) == 0 else { return false }
        guard renameat(base, temp, base, relative) == 0 else {
            let error = failure("cannot move into place", path)
            unlinkat(base, temp, 0)
            throw error
        }
        // rename(2) does nothing when both names are links to one file (a signed
        // PDF linked by an earlier, interrupted publish): the temporary name stays.
        unlinkat(base, temp, 0)
        return true
    }

    /// Writes `bytes` to the new file `fd` (named `name` from `base`) and
    /// closes it; on failure the file is deleted and the error thrown.
    private func fill(_ fd: Int32, with bytes: UnsafeRawBufferPointer, at name: String, in base: Int32, path: String,
                      permissions: mode_t, durable: Bool) throws {
        var offset = 0
        var ok = true
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                ok = false
                break
            }
            offset += n
        }
        // open(2) applied the umask; the site is meant to be readable by the web server.
        if ok && fixesMode { ok = fchmod(fd, permissions) == 0 }
        if ok && durable { ok = fsync(fd) == 0 }
        let error = errno
        if close(fd) != 0 { ok = false }
        guard ok else {
            errno = error
            let failure = failure("cannot write", path)
            unlinkat(base, name, 0)
            throw failure
        }
    }

    /// The hidden temporary name next to `relative`: `a/b` → `a/.b.segel-tmp`.
    /// One publish at a time holds the site lock, so a fixed name cannot clash.
    static func temporaryName(_ relative: String) -> String {
        guard let slash = relative.lastIndex(of: "/") else { return "." + relative + ".segel-tmp" }
        return relative[...slash] + "." + relative[relative.index(after: slash)...] + ".segel-tmp"
    }

    /// The process's umask, from /proc (reading it with umask(2) would change
    /// it for a moment under other threads); nil when unknown.
    private static func umask() -> mode_t? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("Umask:") {
            return mode_t(line.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8)
        }
        return nil
    }

    /// syncfs(2), which the Glibc module does not export.
    private static let syncfs: (@convention(c) (Int32) -> Int32)? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_LAZY), "syncfs") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
    }()

    private func failure(_ doing: String, _ path: String) -> PortalError {
        PortalError(.io, "\(doing) \(path): \(String(cString: strerror(errno)))", path: path)
    }
}
