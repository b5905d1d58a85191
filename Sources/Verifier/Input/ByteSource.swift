import Foundation

/// The bytes of the file being verified, read in bounded chunks for hashing.
///
/// Hashing reads through this rather than through the parser's `Data`, so a
/// file of hundreds of megabytes is streamed (pread) instead of being mapped
/// into the process's resident memory page by page.
protocol ByteSource: Sendable {
    var count: Int { get }
    /// Calls `body` with consecutive chunks covering `range` (clamped to the file).
    func forEachChunk(in range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> Void) throws
}

/// Bytes already in memory (tests, the fuzzer, `verify(data:)`).
struct DataByteSource: ByteSource {
    let data: Data

    var count: Int { data.count }

    func forEachChunk(in range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let range = range.clamped(to: 0..<data.count)
        guard !range.isEmpty else { return }
        try data.withUnsafeBytes { buffer in
            try body(UnsafeRawBufferPointer(rebasing: buffer[range]))
        }
    }
}
