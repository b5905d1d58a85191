import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file for verification: a read-only memory map for the parser
/// (which touches only the cross-reference data and the few objects it
/// resolves) and `pread` for hashing (so the bulk of a large file never
/// becomes resident). Owns the descriptor and the mapping.
final class MappedFile: ByteSource, @unchecked Sendable {
    private let descriptor: Int32
    let count: Int
    /// The whole file as `Data` backed by the mapping (no copy).
    let data: Data

    /// pread chunk size: large enough to amortise system calls, small enough to stay out of the RSS budget.
    static let chunkSize = 1 << 20

    init(url: URL) throws {
        let path = url.path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw VerifierError(.io, "cannot open \(path): \(String(cString: strerror(errno)))", path: path)
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            close(descriptor)
            throw VerifierError(.io, "cannot read \(path): \(String(cString: strerror(errno)))", path: path)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw VerifierError(.io, "\(path) is not a regular file", path: path)
        }
        let count = Int(info.st_size)
        self.descriptor = descriptor
        self.count = count
        if count == 0 {
            data = Data()
            return
        }
        guard let mapping = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0),
              mapping != UnsafeMutableRawPointer(bitPattern: -1) else {
            close(descriptor)
            throw VerifierError(.io, "cannot map \(path): \(String(cString: strerror(errno)))", path: path)
        }
        data = Data(bytesNoCopy: mapping, count: count, deallocator: .custom { pointer, length in
            munmap(pointer, length)
        })
    }

    deinit {
        close(descriptor)
    }

    func forEachChunk(in range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let range = range.clamped(to: 0..<count)
        guard !range.isEmpty else { return }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: min(MappedFile.chunkSize, range.count),
                                                           alignment: 16)
        defer { buffer.deallocate() }
        var offset = range.lowerBound
        while offset < range.upperBound {
            let wanted = min(buffer.count, range.upperBound - offset)
            let got = pread(descriptor, buffer.baseAddress, wanted, off_t(offset))
            if got < 0, errno == EINTR { continue }
            guard got > 0 else {
                throw VerifierError(.io, "the file changed or could not be read while it was being hashed (at byte \(offset))")
            }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<got]))
            offset += got
        }
    }
}
