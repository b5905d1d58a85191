/// How strictly a file is read, and the resource limits that apply.
///
/// **Strict** (what the verifier and the signer use for signed files): the
/// header `%PDF-` must be at byte 0, cross-reference data must be unambiguous
/// (table entries in the exact 20-byte form of §7.5.4, no object number
/// defined twice in one section or one object stream header, each object
/// stream member at the index its entry gives), the number of entries is
/// bounded by the file's size, `startxref` and `/Prev` must point at an
/// `xref` keyword or a cross-reference stream object, every offset must point
/// at `N G obj` with the expected numbers (white-space before the keyword or
/// the header is accepted: writers that count offsets from the preceding
/// end-of-line are common, and white-space cannot change what follows; nothing
/// else is skipped or searched for), streams must end with
/// `endstream` right after `/Length` bytes, `/Prev` loops are errors, and
/// nothing is repaired. Leading junk is not accepted in strict mode even when
/// the offsets would be consistent with it: ByteRanges count from byte 0, so
/// a signed file that does not start with its header is not what was signed.
///
/// **Tolerant** (only for unsigned input that is rewritten anyway): junk
/// before the header (offsets counted from the header or from byte 0),
/// `startxref` slightly off, wrong stream lengths, a missing `endobj`, broken
/// or looping `/Prev` chains, and unreadable cross-reference data, which is
/// rebuilt by scanning the file for `N G obj` (as qpdf does).
public struct ReadOptions: Sendable, Hashable {
    public enum Mode: Sendable, Hashable { case strict, tolerant }

    public var mode: Mode
    /// Limits applied to every stream the reader decodes.
    public var decodeLimits: DecodeLimits
    /// Largest object number accepted from cross-reference data.
    public var maxObjectNumber: Int
    /// Deepest nesting of arrays and dictionaries accepted.
    public var maxDepth: Int
    /// Largest decoded size of an object stream (§7.5.7). Object streams hold
    /// only dictionaries, arrays and numbers, so a legitimate one is far
    /// smaller; a bomb hidden in one stops here instead of at the general limit.
    public var maxObjectStreamBytes: Int

    /// The limits for decoding an object stream.
    var objectStreamLimits: DecodeLimits {
        var limits = decodeLimits
        limits.maxDecodedBytes = min(limits.maxDecodedBytes, maxObjectStreamBytes)
        return limits
    }

    public init(mode: Mode, decodeLimits: DecodeLimits = .default, maxObjectNumber: Int = 8_000_000,
                maxDepth: Int = 256, maxObjectStreamBytes: Int = 32 << 20) {
        self.mode = mode
        self.decodeLimits = decodeLimits
        self.maxObjectNumber = maxObjectNumber
        self.maxDepth = maxDepth
        self.maxObjectStreamBytes = maxObjectStreamBytes
    }

    public static let strict = ReadOptions(mode: .strict)
    public static let tolerant = ReadOptions(mode: .tolerant)
}
