import Hashing

/// A distinguished name in the RFC 4514 form segel stores (`CN=Dr. Rina
/// Kusumawardani\, S.T.\, M.Kom.,O=Universitas Nusantara`) as people read it:
/// the values without escapes, the person or CA first, then title,
/// organisation and e-mail, joined by " · ".
public enum ReadableName {
    public static func of(_ rfc4514: String) -> String {
        // Read byte by byte: every character RFC 4514 gives a meaning to is
        // ASCII, and a page shows two names, thousands of times per publish.
        var fields: [(type: String, value: String)] = []
        var type: [UInt8] = [], value: [UInt8] = []
        var inValue = false
        let bytes = Array(rfc4514.utf8)
        var index = 0
        func field() -> (type: String, value: String) {
            var start = type.startIndex, end = type.endIndex
            while start < end && type[start] == 0x20 { start += 1 }
            while end > start && type[end - 1] == 0x20 { end -= 1 }
            return (String(decoding: type[start..<end], as: UTF8.self), String(decoding: value, as: UTF8.self))
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\\") {
                guard index < bytes.count else { break }
                // \XX: a byte in hex (RFC 4514 §2.4); anything else stands for itself.
                if index + 1 < bytes.count, let high = Digest.hexValue(bytes[index]), let low = Digest.hexValue(bytes[index + 1]) {
                    value.append(high << 4 | low)
                    index += 2
                } else {
                    value.append(bytes[index])
                    index += 1
                }
                continue
            }
            if !inValue {
                if byte == UInt8(ascii: "=") { inValue = true } else { type.append(byte) }
            } else if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "+") {
                fields.append(field())
                type = []; value = []; inValue = false
            } else {
                value.append(byte)
            }
        }
        if inValue { fields.append(field()) }
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
