/// Bounds on what decoding one stream may produce, so that a decompression
/// bomb fails with ``PDFError/Code/limit`` instead of exhausting memory.
public struct DecodeLimits: Sendable, Hashable {
    /// Largest decoded size of one stream, in bytes.
    public var maxDecodedBytes: Int
    /// Largest ratio decoded / encoded once the output passes ``ratioThreshold``.
    /// Deflate cannot exceed about 1032:1 in one pass, so a larger ratio means
    /// stacked filters built to explode.
    public var maxRatio: Int
    /// Output size below which the ratio is not checked (small streams of
    /// zeros legitimately compress very well).
    public var ratioThreshold: Int

    public init(maxDecodedBytes: Int = 256 << 20, maxRatio: Int = 1100, ratioThreshold: Int = 16 << 20) {
        self.maxDecodedBytes = maxDecodedBytes
        self.maxRatio = maxRatio
        self.ratioThreshold = ratioThreshold
    }

    public static let `default` = DecodeLimits()

    /// Throws if `output` bytes decoded from `input` bytes break a limit.
    @inline(__always)
    func check(output: Int, input: Int, filter: String) throws {
        if output > maxDecodedBytes {
            throw PDFError(.limit, "\(filter) output exceeds the \(maxDecodedBytes >> 20) MB limit")
        }
        if output > ratioThreshold, output / max(input, 1) > maxRatio {
            throw PDFError(.limit, "\(filter) output is more than \(maxRatio) times its input (decompression bomb?)")
        }
    }
}
