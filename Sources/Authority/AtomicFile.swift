import Foundation

/// Writes files so that a crash leaves either the old file or the complete new
/// one: the bytes go to a temporary name in the same folder, are flushed, and
/// the temporary file is renamed over the target (rename(2) is atomic).
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL, permissions: Int = 0o644) throws {
        let dir = url.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let temp = dir.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(permissions))
        guard fd >= 0 else {
            throw AuthorityError(.io, "cannot write \(url.path): \(String(cString: strerror(errno)))")
        }
        var ok = false
        defer {
            close(fd)
            if !ok { unlink(temp.path) }
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
            throw AuthorityError(.io, "cannot write \(url.path): \(String(cString: strerror(errno)))")
        }
        fchmod(fd, mode_t(permissions))
        guard rename(temp.path, url.path) == 0 else {
            throw AuthorityError(.io, "cannot write \(url.path): \(String(cString: strerror(errno)))")
        }
        ok = true
    }
}
