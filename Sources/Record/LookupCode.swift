/// The code printed on the stamp for people to read aloud and type: the 16
/// Crockford base32 characters of the document's signature id (80 random
/// bits, so the codes of issued documents cannot be guessed), in four groups
/// of four: `K7QM-3XHD-9PWT-2R4F`. Every signature id segel has issued is
/// therefore a lookup code too, including those on stamps printed before the
/// code was.
///
/// Reading is forgiving, the same in the portal (`templates/assets/site.js`):
/// case, spaces, dashes and dots are ignored, a leading `SIG` is dropped, and
/// the look-alikes Crockford's alphabet leaves out are read as what they
/// resemble (I and L as 1, O as 0).
public struct LookupCode: Sendable, Hashable, CustomStringConvertible {
    /// 16 characters of `0123456789ABCDEFGHJKMNPQRSTVWXYZ`.
    public let normalized: String

    public static let alphabet = Set(alphabetText)
    private static let alphabetText = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    private static let alphabetBytes = Set(alphabetText.utf8)

    /// Reads what someone typed; nil unless it is exactly 16 code characters.
    public init?(_ typed: String) {
        var characters: [Character] = []
        for character in typed.uppercased() {
            switch character {
            case " ", "-", ".", "\t": continue
            case "I", "L": characters.append("1")
            case "O": characters.append("0")
            default: characters.append(character)
            }
        }
        if characters.count == 19, characters.starts(with: ["S", "1", "G"]) { characters.removeFirst(3) }
        guard characters.count == 16, characters.allSatisfy(Self.alphabet.contains) else { return nil }
        normalized = String(characters)
    }

    /// The code of a document signed under `signatureID` (`SIG-` + 16 characters).
    public init?(signatureID: String) {
        guard signatureID.hasPrefix("SIG-") else { return nil }
        let code = signatureID.utf8.dropFirst(4)
        // What segel issues is already normalized: taken as it is (a publish
        // reads a code per signer); anything else goes through the typed rules.
        if code.count == 16, code.allSatisfy({ Self.alphabetBytes.contains($0) }) {
            self.init(normalized: String(decoding: code, as: UTF8.self))
        } else {
            self.init(String(signatureID.dropFirst(4)))
        }
    }

    private init(normalized: String) {
        self.normalized = normalized
    }

    /// `XXXX-XXXX-XXXX-XXXX`, as printed.
    public var grouped: String {
        stride(from: 0, to: 16, by: 4).map { start -> String in
            let from = normalized.index(normalized.startIndex, offsetBy: start)
            return String(normalized[from..<normalized.index(from, offsetBy: 4)])
        }.joined(separator: "-")
    }

    public var description: String { grouped }
}
