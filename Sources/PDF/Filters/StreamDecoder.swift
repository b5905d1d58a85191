import Foundation

/// Applies a stream's filter chain (ISO 32000-2 §7.4, Table 6).
///
/// Image codecs are deliberately not decoded (segel never needs pixels):
/// decoding stops before `DCTDecode`, `JPXDecode`, `CCITTFaxDecode` or
/// `JBIG2Decode`. `Crypt` is an identity here because the document layer has
/// already decrypted the data.
public enum StreamDecoder {
    /// Filters whose output is image data segel passes through untouched.
    public static let passThroughFilters: Set<String> = [
        "DCTDecode", "DCT", "JPXDecode", "CCITTFaxDecode", "CCF", "JBIG2Decode",
    ]

    public static func decode(_ data: Data, filters: [String], parameters: [PDFDictionary?],
                              limits: DecodeLimits = .default) throws -> Data {
        var current = data
        for (index, filter) in filters.enumerated() {
            let parameters = index < parameters.count ? parameters[index] : nil
            if passThroughFilters.contains(filter) { return current }
            let input = current.count
            switch filter {
            case "FlateDecode", "Fl":
                current = try Flate.decompress(current, limits: limits)
                current = try Predictor.apply(current, parameters: parameters)
            case "LZWDecode", "LZW":
                let earlyChange = parameters?.int("EarlyChange") ?? 1
                current = try LZWDecode.decode(current, earlyChange: earlyChange != 0, limits: limits)
                current = try Predictor.apply(current, parameters: parameters)
            case "ASCIIHexDecode", "AHx":
                current = try ASCIIHexDecode.decode(current)
            case "ASCII85Decode", "A85":
                current = try ASCII85Decode.decode(current)
            case "RunLengthDecode", "RL":
                current = try RunLengthDecode.decode(current, limits: limits)
            case "Crypt":
                continue
            default:
                throw PDFError(.filter, "unknown stream filter /\(filter)")
            }
            try limits.check(output: current.count, input: input, filter: filter)
            try limits.check(output: current.count, input: data.count, filter: "the filter chain")
        }
        return current
    }
}
