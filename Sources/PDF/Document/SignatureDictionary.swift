import Foundation

/// A signature dictionary (ISO 32000-2 §12.8.1 Table 255) as found in the
/// file, with the byte positions a verifier needs.
public struct SignatureDictionary: Sendable, Hashable {
    /// The whole dictionary (strings decrypted, `/Contents` left as stored).
    public let dictionary: PDFDictionary
    /// `/Type` (`Sig`, `DocTimeStamp`, or absent).
    public let type: String?
    public let filter: String?
    public let subFilter: String?
    /// `/ByteRange` as integers; `nil` if absent or not all integers.
    public let byteRange: [Int]?
    /// The raw bytes of `/Contents` (the DER-encoded CMS, zero padded).
    public let contents: Data?
    /// Whether `/Contents` was written as a hexadecimal string.
    public let contentsWasHex: Bool
    /// Byte offsets in the file of the `/Contents` string including its
    /// delimiters (`<` … `>`); `nil` if the dictionary sits in an object stream.
    public let contentsRange: Range<Int>?
    /// Byte offsets in the file of the `/ByteRange` array including its brackets.
    public let byteRangeRange: Range<Int>?
    /// `/M` as written (a date string, §7.9.4).
    public let signingTime: String?
    public let signerName: String?
    public let reason: String?
    public let location: String?
    public let contactInfo: String?
}
