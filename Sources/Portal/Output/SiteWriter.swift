import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes files into the site folder so that a crash leaves every file either
/// as it was or complete: the bytes go to a hidden temporary name in the same
/// folder and are renamed over the target (rename(2) replaces atomically).
///
/// A large publish does not fsync its files one by one — a site has tens of
/// thousands of them — but flushes the file systems once (`flush()`, sync(2))
/// before the manifest is written, so the manifest never describes files that
/// a power cut could still lose; a small one (an invalidation) fsyncs each
/// file and its folder instead (`durable`, `syncFolders`). This is why the
/// portal does not use Authority's `AtomicFile`, which syncs every file.
///
/// Files with the same bytes written in one publish — above all the ~65,000
/// empty hash index shards — share one inode: the second and later copies are
/// hard links (to the temporary name, then renamed like any other file).
/// Allocating tens of thousands of inodes is the slowest part of a first
/// publish on some file systems, and a link allocates none. Nothing is ever
/// written in place, so a later change to one of them (a new shard entry)
/// replaces that path alone. Where links are not possible (another file
/// system, FAT, some network mounts) the bytes are written as usual.
final class SiteWriter: Sendable {
    let root: URL
    private let rootPath: String
    private let directories = LockedSet()
    private let twins = LinkSources()

    init(root: URL) throws {
        self.root = root.standardizedFileURL
        rootPath = self.root.path
        do {
            try FileManager.default.createDirectory(at: self.root, withIntermediateDirectories: true)
        } catch {
            throw PortalError(.io, "cannot create the site folder \(rootPath)", path: rootPath)
        }
    }

    func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    /// Atomically replaces `path` (relative to the site) with `data`, whose
    /// SHA-256 is `sha256`; a file with the same hash written earlier in this
    /// publish is linked rather than written again.
    /// With `durable`, the file is fsync'd before it is renamed into place
    /// (for small publishes, where that is cheaper than a global sync).
    func write(_ data: Data, sha256: String, to path: String, permissions: mode_t = 0o644,
               durable: Bool = false) throws {
        let target = rootPath + "/" + path
        let slash = target.lastIndex(of: "/")!
        let directory = String(target[..<slash])
        try ensureDirectory(directory, for: path)
        // One publish at a time holds the site lock, so a fixed temporary name cannot clash.
        let temp = directory + "/." + target[target.index(after: slash)...] + ".segel-tmp"
        if let source = twins.source(for: sha256) {
            unlink(temp)
            if link(source, temp) == 0 {
                guard rename(temp, target) == 0 else {
                    unlink(temp)
                    throw failure("cannot move into place", path)
                }
                return
            }
            twins.disable(sha256)
        }
        try writeBytes(data, temp: temp, target: target, path: path, permissions: permissions, durable: durable)
        twins.offer(target, for: sha256)
    }

    /// Puts `file` (an existing file outside the site, e.g. a signed PDF in
    /// the authority home) at `path` as a hard link, when it is on the same
    /// file system and readable by everyone; returns false when it is not, so
    /// the caller writes a copy.
    func linkExternal(_ file: URL, to path: String) throws -> Bool {
        var info = stat()
        guard stat(file.path, &info) == 0, info.st_mode & 0o444 == 0o444 else { return false }
        let target = rootPath + "/" + path
        let slash = target.lastIndex(of: "/")!
        try ensureDirectory(String(target[..<slash]), for: path)
        let temp = String(target[..<slash]) + "/." + target[target.index(after: slash)...] + ".segel-tmp"
        unlink(temp)
        guard link(file.path, temp) == 0 else { return false }
        guard rename(temp, target) == 0 else {
            unlink(temp)
            throw failure("cannot move into place", path)
        }
        return true
    }

    private func writeBytes(_ data: Data, temp: String, target: String, path: String, permissions: mode_t,
                            durable: Bool) throws {
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, permissions)
        guard fd >= 0 else { throw failure("cannot create a temporary file for", path) }
        var ok = false
        defer { if !ok { unlink(temp) } }
        let written = data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
        // open(2) applied the umask; the site is meant to be readable by the web server.
        let modeSet = fchmod(fd, permissions) == 0 && (!durable || fsync(fd) == 0)
        let writeError = errno
        guard close(fd) == 0, written, modeSet else {
            errno = writeError
            throw failure("cannot write", path)
        }
        guard rename(temp, target) == 0 else { throw failure("cannot move into place", path) }
        ok = true
    }

    /// Deletes `path` and then any folders it leaves empty (up to the site root).
    func remove(_ path: String) throws {
        let target = rootPath + "/" + path
        if unlink(target) != 0 && errno != ENOENT { throw failure("cannot delete", path) }
        var directory = (target as NSString).deletingLastPathComponent
        while directory.count > rootPath.count, directory.hasPrefix(rootPath + "/") {
            if rmdir(directory) != 0 { break }
            directories.remove(directory)
            directory = (directory as NSString).deletingLastPathComponent
        }
    }

    func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(rootPath + "/" + path, &info) == 0
    }

    /// Makes everything written so far durable. sync(2) rather than one
    /// fsync(2) per file and folder: one call, and on Linux it returns only
    /// once the data is written.
    func flush() {
        sync()
    }

    /// Makes renames in these folders (relative to the site) durable.
    func syncFolders(_ folders: Set<String>) {
        for folder in folders {
            let fd = open(folder.isEmpty ? rootPath : rootPath + "/" + folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if fd >= 0 {
                fsync(fd)
                close(fd)
            }
        }
    }

    private func ensureDirectory(_ directory: String, for path: String) throws {
        if directory == rootPath || directories.contains(directory) { return }
        var info = stat()
        if stat(directory, &info) != 0 {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw PortalError(.io, "cannot create the folder for \(path): \(error.localizedDescription)", path: path)
            }
        } else if info.st_mode & S_IFMT != S_IFDIR {
            throw PortalError(.io, "\((directory as NSString).lastPathComponent) is in the way of \(path): it is not a folder", path: path)
        }
        directories.insert(directory)
    }

    private func failure(_ doing: String, _ path: String) -> PortalError {
        PortalError(.io, "\(doing) \(path): \(String(cString: strerror(errno)))", path: path)
    }
}
