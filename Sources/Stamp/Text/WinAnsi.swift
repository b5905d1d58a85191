/// Conversion of Swift strings to WinAnsiEncoding bytes (ISO 32000-2 Annex D.2,
/// Windows code page 1252) and to PDF literal strings (ISO 32000-2 §7.3.4.2),
/// for text shown with the standard 14 fonts under `/Encoding /WinAnsiEncoding`.
///
/// Characters outside the code page degrade, one character at a time, to the
/// closest readable ASCII/CP1252 text rather than to nothing: first a small
/// table of letters that Unicode does not decompose (Ł → L, đ → d, ı → i …)
/// and typographic punctuation (‐ → -, − → -), then compatibility
/// decomposition with the combining marks dropped (Ż → Z, ć → c, ﬁ → fi,
/// full-width Ａ → A); whatever is left becomes `?`. White space, line breaks
/// included, becomes a plain space; control and format characters (soft
/// hyphen, zero-width joiner, BOM) are dropped because they have no glyph.
public enum WinAnsi {
    /// Encodes `text` for a WinAnsiEncoding font. Never fails; see the type's
    /// documentation for the fallback rules.
    public static func encode(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for character in text.precomposedStringWithCanonicalMapping {
            bytes.append(contentsOf: encode(character))
        }
        return bytes
    }

    /// The bytes for one user-perceived character (possibly several, `ﬁ` → `fi`;
    /// possibly none, for format characters).
    static func encode(_ character: Character) -> [UInt8] {
        if character.isWhitespace { return [0x20] }
        let scalars = Array(character.unicodeScalars)
        // Before the code page lookup: the soft hyphen is in Latin-1 but has no glyph.
        if scalars.allSatisfy({ isInvisible($0) }) { return [] }
        if scalars.count == 1, let byte = byte(for: scalars[0]) { return [byte] }
        if scalars.count == 1, let replacement = fallback[scalars[0].value] {
            return replacementBytes(replacement)
        }
        if let partial = partiallyDecomposed(character) { return [partial] }
        var result: [UInt8] = []
        for scalar in String(character).decomposedStringWithCompatibilityMapping.unicodeScalars {
            if isCombiningMark(scalar) || isInvisible(scalar) { continue }
            if let byte = byte(for: scalar) {
                result.append(byte)
            } else if let replacement = fallback[scalar.value] {
                result.append(contentsOf: replacementBytes(replacement))
            } else {
                return [UInt8(ascii: "?")]
            }
        }
        return result.isEmpty ? [UInt8(ascii: "?")] : result
    }

    /// The WinAnsiEncoding code of a scalar, if the code page has it. Controls
    /// (C0, DEL, C1) have no glyph and are excluded.
    public static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let value = scalar.value
        switch value {
        case 0x20...0x7E, 0xA0...0xFF:
            return UInt8(value)
        default:
            return windows1252High[value]
        }
    }

    /// The Unicode scalar a WinAnsiEncoding code stands for (the inverse of
    /// `byte(for:)`), or nil for codes the encoding leaves unused.
    public static func scalar(for byte: UInt8) -> Unicode.Scalar? {
        switch byte {
        case 0x20...0x7E, 0xA0...0xFF:
            return Unicode.Scalar(byte)
        default:
            return windows1252High.first(where: { $0.value == byte }).flatMap { Unicode.Scalar($0.key) }
        }
    }

    /// `bytes` as a PDF literal string, parentheses included (ISO 32000-2
    /// §7.3.4.2): `\`, `(` and `)` are escaped with a backslash, bytes outside
    /// printable ASCII are written as three-digit octal escapes, so the content
    /// stream stays 7-bit clean and unambiguous.
    public static func literalString(_ bytes: [UInt8]) -> String {
        var out = "("
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"): out += "\\\\"
            case UInt8(ascii: "("): out += "\\("
            case UInt8(ascii: ")"): out += "\\)"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let octal = String(byte, radix: 8)
                out += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
            }
        }
        return out + ")"
    }

    /// The letter with as many of its accents kept as the code page has: ễ
    /// (e + circumflex + tilde) becomes ê rather than e.
    private static func partiallyDecomposed(_ character: Character) -> UInt8? {
        let scalars = Array(String(character).decomposedStringWithCanonicalMapping.unicodeScalars)
        guard scalars.count > 2 else { return nil }
        for kept in stride(from: scalars.count - 1, through: 2, by: -1) {
            var prefix = String.UnicodeScalarView()
            prefix.append(contentsOf: scalars[0..<kept])
            let composed = String(prefix).precomposedStringWithCanonicalMapping.unicodeScalars
            if composed.count == 1, let byte = byte(for: composed.first!) { return byte }
        }
        return nil
    }

    /// WinAnsiEncoding's code for the horizontal ellipsis, used to mark truncated text.
    public static let ellipsis: UInt8 = 0x85

    private static func isCombiningMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }

    private static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format: true
        default: false
        }
    }

    /// Codes 0x80–0x9F, where Windows-1252 differs from ISO 8859-1
    /// (ISO 32000-2 Annex D.2 lists the same glyphs by name).
    private static let windows1252High: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85,
        0x2020: 0x86, 0x2021: 0x87, 0x02C6: 0x88, 0x2030: 0x89, 0x0160: 0x8A,
        0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E, 0x2018: 0x91, 0x2019: 0x92,
        0x201C: 0x93, 0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97,
        0x02DC: 0x98, 0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B, 0x0153: 0x9C,
        0x017E: 0x9E, 0x0178: 0x9F,
    ]

    /// Letters with no canonical decomposition and punctuation without a
    /// CP1252 twin, mapped to what a reader would write by hand.
    private static let fallback: [UInt32: String] = [
        0x0141: "L", 0x0142: "l",          // Ł ł (Polish)
        0x0110: "D", 0x0111: "d",          // Đ đ (Croatian, Vietnamese)
        0x0126: "H", 0x0127: "h",          // Ħ ħ (Maltese)
        0x0131: "i", 0x0138: "k",          // ı (Turkish dotless i), ĸ
        0x014A: "N", 0x014B: "n",          // Ŋ ŋ
        0x0166: "T", 0x0167: "t",          // Ŧ ŧ
        0x018F: "E", 0x0259: "e",          // Ə ə (Azerbaijani schwa)
        0x0181: "B", 0x0253: "b",          // Ɓ ɓ (Hausa)
        0x018A: "D", 0x0257: "d",          // Ɗ ɗ
        0x0198: "K", 0x0199: "k",          // Ƙ ƙ
        0x01B3: "Y", 0x01B4: "y",          // Ƴ ƴ
        0x1E9E: "SS",                      // ẞ capital sharp s
        0x0237: "j",                       // ȷ dotless j
        0x2010: "-", 0x2011: "-", 0x2012: "-", 0x2043: "-", 0x2212: "-",
        0x2015: "\u{2014}",                // horizontal bar → em dash
        0x2032: "'", 0x2033: "\"", 0x02BC: "'", 0x02BB: "'", 0x02B9: "'",
        0x201B: "'", 0x201F: "\"",
        0x2044: "/", 0x2215: "/",
    ]

    /// Fallback strings are written with CP1252 characters only.
    private static func replacementBytes(_ replacement: String) -> [UInt8] {
        replacement.unicodeScalars.map { byte(for: $0) ?? UInt8(ascii: "?") }
    }
}
