import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Answers "is this file of the site still there?" for the unchanged files of
/// an incremental publish. Folders that hold many files of the site (the
/// shard folders, `cert/<f>/`, `d/<f>/`, `api/verify/<f>/` and their flat
/// forms) are read once with readdir(3); a lone file
/// (`v/<f>/<token>/index.html`) costs one lstat(2).
final class ExistenceIndex: @unchecked Sendable {
    private let root: String
    /// The site folder, opened once so that each lstat walks the path inside the site only (-1 if it cannot be opened).
    private let rootDescriptor: Int32
    private var listings: [String: Set<String>] = [:]
    private let lock = NSLock()
    /// Listings read by `prefetch` before the threads that ask start: read without the lock.
    private var prefetched: [String: Set<String>] = [:]

    /// Lists `folders` and their subfolders now, so that threads started
    /// afterwards find them without taking turns at the lock (a publish asks
    /// about three files of every document).
    func prefetch(_ folders: [String]) {
        var found: [String: Set<String>] = [:]
        for folder in folders {
            let (names, subfolders) = Self.listing(root + "/" + folder)
            found[folder] = names
            for name in subfolders { found[folder + "/" + name] = Self.list(root + "/" + folder + "/" + name) }
        }
        prefetched = found
    }

    init(root: URL) {
        self.root = root.standardizedFileURL.path
        rootDescriptor = open(self.root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    }

    deinit {
        if rootDescriptor >= 0 { close(rootDescriptor) }
    }

    func exists(_ path: String) -> Bool {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return lstatExists(path) }
        let folder = path[..<slash]
        guard Self.isCrowded(folder) else { return lstatExists(path) }
        return names(in: String(folder)).contains(String(path[path.utf8.index(after: slash)...]))
    }

    /// The names in `folder` (relative to the site), read once.
    func names(in folder: String) -> Set<String> {
        if let names = prefetched[folder] { return names }
        return lock.withLock {
            if let known = listings[folder] { return known }
            let names = Self.list(root + "/" + folder)
            listings[folder] = names
            return names
        }
    }

    /// Folders that hold a file per document or per shard.
    private static func isCrowded(_ folder: Substring) -> Bool {
        // Compared as bytes: a publish asks this of five files per document.
        let bytes = folder.utf8
        return crowded.contains { bytes.elementsEqual($0) } || crowdedPrefixes.contains { bytes.starts(with: $0) }
    }

    private static let crowded = ["cert", "d", "api/verify"].map { Array($0.utf8) }
    /// The folders inside those, and the hash index's shard folders.
    private static let crowdedPrefixes = crowded.map { $0 + [UInt8(ascii: "/")] } + [Array("api/hash/".utf8)]

    private func lstatExists(_ path: String) -> Bool {
        var info = stat()
        if rootDescriptor >= 0 { return fstatat(rootDescriptor, path, &info, AT_SYMLINK_NOFOLLOW) == 0 }
        return lstat(root + "/" + path, &info) == 0
    }

    private static func list(_ folder: String) -> Set<String> {
        listing(folder).names
    }

    /// The names in `folder`, and which of them are folders (from readdir's
    /// entry type; an lstat only where the file system does not give it).
    private static func listing(_ folder: String) -> (names: Set<String>, folders: [String]) {
        guard let directory = opendir(folder) else { return ([], []) }
        defer { closedir(directory) }
        var names: Set<String> = []
        var folders: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            guard name != "." && name != ".." else { continue }
            names.insert(name)
            var isFolder = Int32(entry.pointee.d_type) == Int32(DT_DIR)
            if Int32(entry.pointee.d_type) == Int32(DT_UNKNOWN) {
                var info = stat()
                isFolder = fstatat(dirfd(directory), name, &info, AT_SYMLINK_NOFOLLOW) == 0 && info.st_mode & S_IFMT == S_IFDIR
            }
            if isFolder { folders.append(name) }
        }
        return (names, folders)
    }
}
