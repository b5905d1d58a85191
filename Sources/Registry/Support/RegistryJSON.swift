import Foundation

/// JSON for `--json` output and the portal: sorted keys, and dates in the
/// registry's `Timestamp` form, so the same records always give the same bytes.
/// Record keys are the column names (snake_case), as in the seed's API.
public enum RegistryJSON {
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                                          : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.string(from: date))
        }
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.date(from: text) else {
                throw DecodingError.dataCorruptedError(in: container,
                    debugDescription: "\"\(text)\" is not a registry timestamp")
            }
            return date
        }
        return decoder
    }
}
