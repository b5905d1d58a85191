import Foundation

/// Writes files so that a crash leaves either the old file or the complete new
/// one: the bytes go to a temporary name in the same folder, are flushed, and
/// the temporary file is renamed over the target (rename(2) is atomic).
///
/// Temporary names carry the writer's process id (`.segel-tmp-<pid>-…`), so a
/// later run can tell what a killed process left behind from what a live one
/// is still writing (`sweep(_:)`).
public enum AtomicFile {
    public static let temporaryPrefix = ".segel-tmp-"

    public static func write(_ data: Data, to url: URL, permissions: Int = 0o644) throws {
        let dir = url.deletingLastPathComponent()
        let temp = dir.appendingPathComponent("\(temporaryPrefix)\(getpid())-\(UUID().uuidString)-\(url.lastPathComponent)")
        try writeNew(data, to: temp, reporting: url, permissions: permissions)
        guard rename(temp.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp.path)
            throw AuthorityError(.io, "cannot write \(url.path): \(reason)")
        }
    }

    /// Creates `url`, which must not exist yet, with `data`, flushed to disk; on
    /// failure nothing is left. For names that are themselves temporary (a
    /// pending signed PDF), where a crash mid-write leaves a file that recovery
    /// removes, so no second name and rename are needed.
    public static func writeNew(_ data: Data, to url: URL, reporting target: URL? = nil,
                                permissions: Int = 0o644) throws {
        let shown = (target ?? url).path
        let dir = url.deletingLastPathComponent()
        // One stat in the common case; FileManager's recursive create costs ~0.2 ms per call.
        var status = stat()
        if stat(dir.path, &status) != 0 || status.st_mode & S_IFMT != S_IFDIR {
            try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        }
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(permissions))
        guard fd >= 0 else {
            throw AuthorityError(.io, "cannot write \(shown): \(String(cString: strerror(errno)))")
        }
        var ok = false
        defer {
            close(fd)
            if !ok { unlink(url.path) }
        }
        let written = data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
        guard written, fsync(fd) == 0 else {
            throw AuthorityError(.io, "cannot write \(shown): \(String(cString: strerror(errno)))")
        }
        fchmod(fd, mode_t(permissions))
        ok = true
    }
}

extension AtomicFile {
    /// The process id a temporary or pending name was written by, if it has one.
    static func writerPID(of name: String, prefix: String) -> pid_t? {
        guard name.hasPrefix(prefix) else { return nil }
        return pid_t(name.dropFirst(prefix.count).prefix { $0.isNumber })
    }

    /// Whether the process that wrote a file is gone (so the file is an orphan).
    static func isOrphan(_ name: String, prefix: String) -> Bool {
        guard let pid = writerPID(of: name, prefix: prefix) else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    /// Removes temporary files that killed processes left in `directory`
    /// (not recursive); files of live processes are left alone.
    @discardableResult
    public static func sweep(_ directory: URL) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var removed = 0
        for name in names where isOrphan(name, prefix: temporaryPrefix) {
            if unlink(directory.appendingPathComponent(name).path) == 0 { removed += 1 }
        }
        return removed
    }
}
