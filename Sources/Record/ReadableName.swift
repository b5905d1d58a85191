/// A distinguished name in the RFC 4514 form segel stores (`CN=Dr. Rina
/// Kusumawardani\, S.T.\, M.Kom.,O=Universitas Nusantara`) as people read it:
/// the values without escapes, the person or CA first, then title,
/// organisation and e-mail, joined by " · ".
public enum ReadableName {
    public static func of(_ rfc4514: String) -> String {
        var fields: [(type: String, value: String)] = []
        var type = "", value = "", inValue = false, escaped = false
        var hex: [UInt8] = []
        func flushHex() {
            if !hex.isEmpty { value += String(decoding: hex, as: UTF8.self); hex = [] }
        }
        var characters = Array(rfc4514)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            index += 1
            if escaped {
                escaped = false
                // \XX: a byte in hex (RFC 4514 §2.4); anything else stands for itself.
                if character.isHexDigit, index < characters.count, characters[index].isHexDigit,
                   let byte = UInt8(String([character, characters[index]]), radix: 16) {
                    hex.append(byte)
                    index += 1
                } else {
                    flushHex()
                    value.append(character)
                }
                continue
            }
            if character == "\\" { escaped = true; continue }
            flushHex()
            if !inValue {
                if character == "=" { inValue = true } else { type.append(character) }
            } else if character == "," || character == "+" {
                fields.append((type.trimmingSpaces, value))
                type = ""; value = ""; inValue = false
            } else {
                value.append(character)
            }
        }
        flushHex()
        if inValue { fields.append((type.trimmingSpaces, value)) }
        characters = []
        let order = ["CN", "commonName", "title", "O", "organizationName", "OU", "emailAddress", "E"]
        let ranked = fields.enumerated().sorted { a, b in
            let ra = order.firstIndex(of: a.element.type) ?? order.count
            let rb = order.firstIndex(of: b.element.type) ?? order.count
            return ra == rb ? a.offset < b.offset : ra < rb
        }
        let values = ranked.map(\.element.value).filter { !$0.isEmpty }
        return values.isEmpty ? rfc4514 : values.joined(separator: " · ")
    }
}

private extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
