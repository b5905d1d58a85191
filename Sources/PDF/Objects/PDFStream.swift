import Foundation

/// A stream object (ISO 32000-2 §7.3.8): its dictionary and its data exactly as
/// stored after `stream` (still encoded by its filters, but already decrypted
/// when the document is encrypted).
public struct PDFStream: Sendable, Hashable {
    public var dictionary: PDFDictionary
    public var data: Data

    public init(dictionary: PDFDictionary, data: Data) {
        self.dictionary = dictionary
        self.data = data
    }

    /// The filter names from `/Filter` (a name or an array of names), in decoding order.
    public var filters: [String] {
        switch dictionary["Filter"] {
        case .name(let name)?: return [name]
        case .array(let names)?: return names.compactMap(\.nameValue)
        default: return []
        }
    }

    /// The decode parameters matching ``filters`` one to one (`nil` where absent).
    public var decodeParameters: [PDFDictionary?] {
        let count = filters.count
        switch dictionary["DecodeParms"] ?? dictionary["DP"] {
        case .dictionary(let parameters)?:
            return [parameters] + Array(repeating: nil, count: max(0, count - 1))
        case .array(let list)?:
            var result = list.prefix(count).map(\.dictionaryValue)
            while result.count < count { result.append(nil) }
            return result
        default:
            return Array(repeating: nil, count: count)
        }
    }

    /// Applies the stream's filters (§7.4). Image codecs (DCT, JPX, CCITT, JBIG2)
    /// are not decoded: decoding stops before the first of them and the bytes
    /// are returned as they are at that point.
    public func decodedData(limits: DecodeLimits = .default) throws -> Data {
        try StreamDecoder.decode(data, filters: filters, parameters: decodeParameters, limits: limits)
    }
}
