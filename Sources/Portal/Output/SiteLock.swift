import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive flock(2) on `<site>/.segel-publish.lock` for the duration of a
/// publish, so two `segel publish` runs into one folder cannot interleave
/// their writes and manifests. Released when the object goes away (or the
/// process dies: the kernel drops the lock with the descriptor).
final class SiteLock {
    static let fileName = ".segel-publish.lock"
    private let fd: Int32

    init(site: URL) throws {
        let path = site.appendingPathComponent(Self.fileName).path
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw PortalError(.io, "cannot open the lock file \(path): \(String(cString: strerror(errno)))",
                              path: Self.fileName)
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw PortalError(.usage, "another segel publish is writing \(site.path); try again when it has finished",
                              path: Self.fileName)
        }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
