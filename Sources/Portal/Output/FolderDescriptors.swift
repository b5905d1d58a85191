import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// For `SiteWriter`: the site's folders as directory descriptors, so that a
/// file is created, linked or renamed with one short relative path
/// (`openat(v, "<token>/index.html")`) instead of the whole absolute path,
/// and each folder is created once (mkdirat) rather than checked per file.
///
/// Only the folders that other folders are made in (`""`, `v`, `v/<f>`,
/// `api`, …) stay open, at most `openLimit` of them (beyond that a path is
/// reached from the site folder); a file's own folder is reached through
/// its parent's descriptor, so the thousands of `v/<f>/<token>/` folders
/// cost no descriptor at all.
final class FolderDescriptors: @unchecked Sendable {
    /// The site folder itself.
    let root: Int32
    private let rootPath: String
    private var open: [String: Int32] = [:]
    /// Folders (relative to the site) known to exist.
    private var known: Set<String> = [""]
    private let lock = NSLock()

    init(rootPath: String) throws {
        self.rootPath = rootPath
        root = Glibc.open(rootPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else {
            throw PortalError(.io, "cannot open the site folder \(rootPath): \(String(cString: strerror(errno)))",
                              path: rootPath)
        }
        open[""] = root
    }

    deinit {
        for descriptor in open.values { close(descriptor) }
    }

    /// Where to reach `path` (relative to the site) from: a descriptor and the
    /// path relative to it — the file's grandparent folder and
    /// `"<folder>/<name>"`, or the site folder and `"<name>"` at the top.
    /// Creates the file's folder when it is missing.
    func locate(_ path: String) throws -> (base: Int32, relative: String) {
        guard let slash = path.lastIndex(of: "/") else { return (root, path) }
        let folder = String(path[..<slash])
        try ensure(folder, for: path)
        guard let parentSlash = folder.lastIndex(of: "/") else { return (root, path) }
        let parent = String(folder[..<parentSlash])
        let base = try descriptor(parent, for: path)
        if base < 0 { return (root, path) }
        return (base, String(path[path.index(after: parentSlash)...]))
    }

    /// Makes sure `folder` (relative to the site) exists, creating it and its parents.
    func ensure(_ folder: String, for path: String) throws {
        if lock.withLock({ known.contains(folder) }) { return }
        if let slash = folder.lastIndex(of: "/") { try ensure(String(folder[..<slash]), for: path) }
        if mkdirat(root, folder, 0o777) != 0 {
            guard errno == EEXIST else {
                throw PortalError(.io, "cannot create the folder for \(path): \(String(cString: strerror(errno)))",
                                  path: path)
            }
            var info = stat()
            guard fstatat(root, folder, &info, 0) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                let name = folder.split(separator: "/").last.map(String.init) ?? folder
                throw PortalError(.io, "\(name) is in the way of \(path): it is not a folder", path: path)
            }
        }
        lock.withLock { _ = known.insert(folder) }
    }

    /// `folder` was deleted (it had become empty): forget it.
    func forget(_ folder: String) {
        lock.withLock {
            known = known.filter { $0 != folder && !$0.hasPrefix(folder + "/") }
            for (name, descriptor) in open where name == folder || name.hasPrefix(folder + "/") {
                close(descriptor)
                open[name] = nil
            }
        }
    }

    /// Descriptors kept open at most, well below a default limit of 1,024
    /// (a site has about a hundred folders that other folders are made in).
    static let openLimit = 256

    /// The open descriptor of `folder`, opening it if fewer than `openLimit`
    /// are open; -1 when the limit is reached.
    private func descriptor(_ folder: String, for path: String) throws -> Int32 {
        try lock.withLock {
            if let descriptor = open[folder] { return descriptor }
            if open.count >= Self.openLimit { return -1 }
            let descriptor = openat(root, folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw PortalError(.io, "cannot open the folder \(rootPath)/\(folder): \(String(cString: strerror(errno)))",
                                  path: path)
            }
            open[folder] = descriptor
            return descriptor
        }
    }
}
