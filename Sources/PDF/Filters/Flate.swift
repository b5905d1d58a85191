import CZlib
import Foundation

/// The `FlateDecode` filter (ISO 32000-2 §7.4.4, RFC 1950/1951) through zlib.
public enum Flate {
    /// Inflates zlib data. Output that ends early (a truncated stream, a bad
    /// checksum) is returned as far as it decoded, as most readers do; data
    /// that does not inflate at all throws ``PDFError/Code/filter``.
    public static func decompress(_ data: Data, limits: DecodeLimits = .default) throws -> Data {
        if let result = try inflate(data, windowBits: 15, limits: limits) { return result }
        // Some producers write raw deflate data without the zlib header.
        if let result = try inflate(data, windowBits: -15, limits: limits) { return result }
        throw PDFError(.filter, "FlateDecode data is corrupt")
    }

    /// Deflates `data` with zlib framing (for streams segel writes).
    public static func compress(_ data: Data, level: Int32 = 6) -> Data {
        var stream = z_stream()
        guard segel_deflateInit(&stream, level) == Z_OK else { return Data() }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(data.count)))
        var output = Data(count: bound)
        let produced: Int = data.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(out.count)
                let status = deflate(&stream, Z_FINISH)
                return status == Z_STREAM_END ? Int(stream.total_out) : -1
            }
        }
        precondition(produced >= 0, "deflate into a deflateBound-sized buffer cannot fail")
        output.count = produced
        return output
    }

    /// `nil` when nothing at all could be decoded with these window bits.
    private static func inflate(_ data: Data, windowBits: Int32, limits: DecodeLimits) throws -> Data? {
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw PDFError(.filter, "zlib could not be initialised")
        }
        defer { inflateEnd(&stream) }
        // One buffer grown with realloc (large blocks are remapped, not copied)
        // and handed to Data without a copy: a bomb costs the limit, not twice it.
        var output = GrowableBytes(initialCapacity: min(max(data.count * 4, 1024), limits.maxDecodedBytes))
        var failed = false
        try data.withUnsafeBytes { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(input.count)
            while true {
                // Never more room than the limit allows plus one byte to detect going past it.
                let room = min(64 * 1024, limits.maxDecodedBytes + 1 - output.count)
                output.reserve(room)
                stream.next_out = output.end.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(room)
                let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                let produced = room - Int(stream.avail_out)
                output.count += produced
                try limits.check(output: output.count, input: data.count, filter: "FlateDecode")
                switch status {
                case Z_STREAM_END:
                    return
                case Z_OK:
                    if stream.avail_in == 0 && produced == 0 { return }
                case Z_BUF_ERROR:
                    return
                default:
                    failed = output.count == 0
                    return
                }
            }
        }
        if failed || (output.count == 0 && stream.total_in == 0 && !data.isEmpty) { return nil }
        return output.take()
    }
}

/// A malloc'd byte buffer that grows with realloc and becomes a `Data` without a copy.
struct GrowableBytes: ~Copyable {
    private var base: UnsafeMutableRawPointer?
    private var capacity: Int
    var count = 0

    init(initialCapacity: Int) {
        capacity = max(initialCapacity, 64)
        base = malloc(capacity)
    }

    deinit { free(base) }

    /// The first unused byte (after ``reserve(_:)``).
    var end: UnsafeMutableRawPointer { base! + count }

    /// Makes room for `extra` more bytes.
    mutating func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        let newCapacity = max(count + extra, capacity * 2)
        guard let grown = realloc(base, newCapacity) else { fatalError("out of memory decoding a stream") }
        base = grown
        capacity = newCapacity
    }

    /// The bytes as `Data`, which takes over the buffer.
    consuming func take() -> Data {
        guard count > 0, let base else { return Data() }
        let trimmed = realloc(base, count) ?? base
        self.base = nil
        return Data(bytesNoCopy: trimmed, count: count, deallocator: .free)
    }
}
