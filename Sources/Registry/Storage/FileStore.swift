import Foundation
import Hashing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Content-addressed storage of submitted PDFs: `<home>/files/<aa>/<sha256>.pdf`,
/// where `aa` is the first two hex digits of the SHA-256.
///
/// A file is copied to a temporary name in `<home>/files/` while it is hashed,
/// then renamed into place, so a crash never leaves a partial file under a
/// content name, and storing the same bytes twice is harmless. Files are mode
/// 0640: readable by the authority's group, never by everybody.
public struct FileStore: Sendable {
    public let home: URL
    public var root: URL { home.appendingPathComponent("files", isDirectory: true) }

    /// ISO 32000-2 §7.5.2: the header `%PDF-` must appear, and readers look
    /// for it within the first 1024 bytes (leading junk is tolerated there).
    static let headerWindow = 1024
    private static let chunkSize = 1 << 16

    public init(home: URL) {
        self.home = home
    }

    /// Copies the PDF at `source` into the store and returns its identity.
    ///
    /// Refuses an empty file and a file without `%PDF-` in its first 1024
    /// bytes (`.badInput`, naming the file).
    public func store(fileAt source: URL) throws -> StoredFile {
        let name = source.lastPathComponent
        let input: FileHandle
        do {
            input = try FileHandle(forReadingFrom: source)
        } catch {
            throw RegistryError(.notFound, "cannot read \(source.path): \(error.localizedDescription)")
        }
        defer { try? input.close() }
        return try install(name: name, from: source.path) { output in
            let hasher = SHA256Hasher()
            var size: Int64 = 0
            var head = Data()
            while let chunk = try input.read(upToCount: Self.chunkSize), !chunk.isEmpty {
                if head.count < Self.headerWindow {
                    head.append(chunk.prefix(Self.headerWindow - head.count))
                }
                hasher.update(chunk)
                size += Int64(chunk.count)
                try output.write(contentsOf: chunk)
            }
            return (Digest.hex(hasher.finalize()), size, head)
        }
    }

    /// Stores PDF bytes already in memory (`segel batch` reads each file once),
    /// with the same checks and the same crash safety as `store(fileAt:)`.
    public func store(data: Data, name: String) throws -> StoredFile {
        try install(name: name, from: name) { output in
            try output.write(contentsOf: data)
            return (Digest.hex(Digest.sha256(data)), Int64(data.count), data.prefix(Self.headerWindow))
        }
    }

    /// Writes a temporary file in the store with `fill` (which returns the
    /// SHA-256, size and first bytes of what it wrote), flushes it, checks it
    /// is a PDF and renames it to its content name.
    private func install(name: String, from source: String,
                         _ fill: (FileHandle) throws -> (sha256: String, size: Int64, head: Data)) throws -> StoredFile {
        try makeDirectory(root)
        // Same naming as Authority's AtomicFile, so `segel batch` can sweep what a killed process left.
        let temporary = root.appendingPathComponent(".segel-tmp-\(getpid())-\(UUID().uuidString)-incoming")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw RegistryError(.database, "cannot create \(temporary.path): \(String(cString: strerror(errno)))")
        }
        let output = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var keep = false
        defer {
            try? output.close()
            if !keep { unlink(temporary.path) }
        }

        let written: (sha256: String, size: Int64, head: Data)
        do {
            written = try fill(output)
            try output.synchronize()
        } catch {
            throw RegistryError(.database, "cannot copy \(source) into the file store: \(error.localizedDescription)")
        }
        if written.size == 0 {
            throw RegistryError(.badInput, "\(name) is empty, so it cannot be a PDF")
        }
        if written.head.range(of: Data("%PDF-".utf8)) == nil {
            throw RegistryError(.badInput, "\(name) is not a PDF: no %PDF- header in its first 1024 bytes")
        }
        fchmod(descriptor, 0o640)

        let relative = Self.relativePath(sha256: written.sha256)
        let destination = home.appendingPathComponent(relative)
        try makeDirectory(destination.deletingLastPathComponent())
        guard rename(temporary.path, destination.path) == 0 else {
            throw RegistryError(.database,
                "cannot move \(name) into \(destination.path): \(String(cString: strerror(errno)))")
        }
        keep = true
        return StoredFile(sha256: written.sha256, size: written.size, storedPath: relative, originalFilename: name)
    }

    /// The absolute location of a stored path.
    public func url(for storedPath: String) -> URL {
        home.appendingPathComponent(storedPath)
    }

    static func relativePath(sha256: String) -> String {
        "files/\(sha256.prefix(2))/\(sha256).pdf"
    }

    private func makeDirectory(_ url: URL) throws {
        // The common case, one stat: FileManager's recursive create costs ~0.2 ms per call.
        var status = stat()
        if stat(url.path, &status) == 0, status.st_mode & S_IFMT == S_IFDIR { return }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o750])
        } catch {
            throw RegistryError(.database, "cannot create \(url.path): \(error.localizedDescription)")
        }
    }
}
