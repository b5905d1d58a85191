/// HTML escaping as the pages need it.
///
/// Mustache (swift-mustache) escapes `< > & " '` one *Character* at a time,
/// so a quote followed by a combining mark (`"` + U+0301 is one Character)
/// or preceded by a prepended mark is not recognised and stays raw — inside
/// an attribute value that would end the attribute. `guarded` closes that
/// gap before any text that people supplied reaches a template: it puts a
/// ZERO WIDTH SPACE (grapheme break class Control, so it always ends a
/// cluster) on each side of such a character, which then stands alone and is
/// escaped like any other. Text without such clusters is returned unchanged.
enum HTMLText {
    private static let special: Set<Unicode.Scalar> = ["<", ">", "&", "\"", "'"]
    private static let breaker: Unicode.Scalar = "\u{200B}"

    static func guarded(_ text: String) -> String {
        // Fast path: pure ASCII has no multi-scalar clusters around these characters.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        var needed = false
        for character in text where character.unicodeScalars.count > 1 {
            if character.unicodeScalars.contains(where: special.contains) {
                needed = true
                break
            }
        }
        guard needed else { return text }
        var out = String.UnicodeScalarView()
        for character in text {
            let scalars = character.unicodeScalars
            guard scalars.count > 1, scalars.contains(where: special.contains) else {
                out.append(contentsOf: scalars)
                continue
            }
            for scalar in scalars {
                if special.contains(scalar) {
                    out.append(breaker)
                    out.append(scalar)
                    out.append(breaker)
                } else {
                    out.append(scalar)
                }
            }
        }
        return String(out)
    }

    /// `escape(text)` appended to `out` as UTF-8.
    static func appendEscaped(_ text: String, to out: inout [UInt8]) {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
            out.append(contentsOf: escape(text).utf8)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "<"): out.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])  // &lt;
            case UInt8(ascii: ">"): out.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])  // &gt;
            case UInt8(ascii: "&"): out.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])  // &amp;
            case UInt8(ascii: "\""): out.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B])  // &quot;
            case UInt8(ascii: "'"): out.append(contentsOf: [0x26, 0x23, 0x33, 0x39, 0x3B])  // &#39;
            default: out.append(byte)
            }
        }
    }

    /// The escaping of Mustache's `{{ }}` (same table, same per-Character
    /// rule), for text that is substituted without going through Mustache.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "<"): out += "&lt;"
                case UInt8(ascii: ">"): out += "&gt;"
                case UInt8(ascii: "&"): out += "&amp;"
                case UInt8(ascii: "\""): out += "&quot;"
                case UInt8(ascii: "'"): out += "&#39;"
                default: out.unicodeScalars.append(Unicode.Scalar(byte))
                }
            }
            return out
        }
        for character in text {
            switch character {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
