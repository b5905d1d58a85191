import Foundation

/// Splits PDF bytes into tokens (ISO 32000-2 §7.2 lexical conventions, §7.3
/// object syntax): white-space and comments, numbers such as `-.5` and `4.`,
/// literal strings with escapes, hexadecimal strings, names with `#xx`.
///
/// Works on a borrowed buffer by index; the caller keeps the buffer alive.
struct Lexer {
    let bytes: UnsafeRawBufferPointer
    var position: Int

    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var count: Int { bytes.count }
    var isAtEnd: Bool { position >= bytes.count }

    @inline(__always) func byte(at index: Int) -> UInt8 { bytes[index] }

    /// Skips white-space and comments (§7.2.4).
    mutating func skipWhitespace() {
        while position < bytes.count {
            let byte = bytes[position]
            if ByteClass.isWhitespace(byte) {
                position += 1
            } else if byte == UInt8(ascii: "%") {
                while position < bytes.count, bytes[position] != 0x0A, bytes[position] != 0x0D {
                    position += 1
                }
            } else {
                return
            }
        }
    }

    /// Skips white-space only (a `%` stays: `%%EOF` is a comment to the lexer
    /// but a marker to the file structure).
    mutating func skipWhitespaceOnly() {
        while position < bytes.count, ByteClass.isWhitespace(bytes[position]) { position += 1 }
    }

    /// True if the bytes at `offset` are `word` followed by a non-regular byte or the end.
    func matches(_ word: StaticString, at offset: Int) -> Bool {
        let length = word.utf8CodeUnitCount
        guard offset >= 0, offset + length <= bytes.count else { return false }
        let pointer = word.utf8Start
        for index in 0..<length where bytes[offset + index] != pointer[index] { return false }
        let after = offset + length
        return after >= bytes.count || !ByteClass.isRegular(bytes[after])
    }

    /// True if the bytes at `offset` start with `word` (no boundary check).
    func hasPrefix(_ word: StaticString, at offset: Int) -> Bool {
        let length = word.utf8CodeUnitCount
        guard offset >= 0, offset + length <= bytes.count else { return false }
        let pointer = word.utf8Start
        for index in 0..<length where bytes[offset + index] != pointer[index] { return false }
        return true
    }

    func error(_ message: String, at offset: Int? = nil) -> PDFError {
        PDFError(.malformed, message, offset: offset ?? position)
    }

    /// Reads the next token, skipping white-space and comments first.
    mutating func next() throws -> Token {
        skipWhitespace()
        guard position < bytes.count else { return .endOfInput }
        let start = position
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "/"):
            position += 1
            return .name(readName())
        case UInt8(ascii: "("):
            position += 1
            return .string(try readLiteralString(start: start))
        case UInt8(ascii: "<"):
            if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "<") {
                position += 2
                return .dictionaryOpen
            }
            position += 1
            return .string(try readHexString(start: start))
        case UInt8(ascii: ">"):
            if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: ">") {
                position += 2
                return .dictionaryClose
            }
            throw error("unexpected '>'", at: start)
        case UInt8(ascii: "["):
            position += 1
            return .arrayOpen
        case UInt8(ascii: "]"):
            position += 1
            return .arrayClose
        case UInt8(ascii: ")"):
            throw error("unbalanced ')'", at: start)
        case UInt8(ascii: "{"), UInt8(ascii: "}"):
            position += 1
            return .keyword(.other)
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
            return try readNumber()
        default:
            while position < bytes.count, ByteClass.isRegular(bytes[position]) { position += 1 }
            return .keyword(Keyword(UnsafeRawBufferPointer(rebasing: bytes[start..<position])))
        }
    }

    /// Reads an unsigned integer at the current position without skipping
    /// anything; returns `nil` (position unchanged) if there is no digit.
    mutating func readUnsignedInteger(maxDigits: Int = 18) -> Int? {
        let start = position
        var value = 0
        while position < bytes.count, ByteClass.isDigit(bytes[position]), position - start < maxDigits {
            value = value * 10 + Int(bytes[position] - 0x30)
            position += 1
        }
        return position > start ? value : nil
    }

    /// §7.3.3: `[+-]?digits[.digits]` or `[+-]?.digits`; `4.` and `-.5` are valid.
    private mutating func readNumber() throws -> Token {
        let start = position
        var negative = false
        if bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
            negative = bytes[position] == UInt8(ascii: "-")
            position += 1
        }
        var integer = 0
        var overflow = false
        var digits = 0
        while position < bytes.count, ByteClass.isDigit(bytes[position]) {
            let (product, o1) = integer.multipliedReportingOverflow(by: 10)
            let (sum, o2) = product.addingReportingOverflow(Int(bytes[position] - 0x30))
            overflow = overflow || o1 || o2
            integer = sum
            digits += 1
            position += 1
        }
        var isReal = false
        var fraction = 0
        var fractionDigits = 0
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            isReal = true
            position += 1
            while position < bytes.count, ByteClass.isDigit(bytes[position]) {
                if fractionDigits < 17 {
                    fraction = fraction * 10 + Int(bytes[position] - 0x30)
                    fractionDigits += 1
                }
                digits += 1
                position += 1
            }
        }
        if position < bytes.count, ByteClass.isRegular(bytes[position]) {
            throw error("malformed number", at: start)
        }
        guard digits > 0 else { throw error("malformed number", at: start) }
        if !isReal && !overflow { return .integer(negative ? -integer : integer) }
        if overflow {
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            guard let value = Double(text) else { throw error("malformed number", at: start) }
            return .real(value)
        }
        var value = Double(integer)
        if fractionDigits > 0 {
            value += Double(fraction) / Lexer.powersOfTen[fractionDigits]
        }
        return .real(negative ? -value : value)
    }

    private static let powersOfTen: [Double] = (0...17).map { pow(10.0, Double($0)) }

    /// §7.3.5: regular characters after the solidus, `#xx` decoded.
    private mutating func readName() -> String {
        let start = position
        var hasEscape = false
        while position < bytes.count, ByteClass.isRegular(bytes[position]) {
            if bytes[position] == UInt8(ascii: "#") { hasEscape = true }
            position += 1
        }
        let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
        guard hasEscape else { return NameCoding.decode(raw) }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            if raw[index] == UInt8(ascii: "#"), index + 2 < raw.count,
               let high = ByteClass.hexValue(raw[index + 1]), let low = ByteClass.hexValue(raw[index + 2]) {
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(raw[index])
                index += 1
            }
        }
        return NameCoding.decode(decoded)
    }

    /// §7.3.4.2 literal string; the opening parenthesis is already consumed.
    private mutating func readLiteralString(start: Int) throws -> PDFString {
        let contentStart = position
        // Fast path: no escapes, no nesting, no end-of-line to normalise.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: ")") {
                let data = Data(UnsafeRawBufferPointer(rebasing: bytes[contentStart..<position]))
                position += 1
                return PDFString(bytes: data)
            }
            if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "(") || byte == 0x0D { break }
            position += 1
        }
        var result = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[contentStart..<position]))
        var depth = 1
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "("):
                depth += 1
                result.append(byte)
            case UInt8(ascii: ")"):
                depth -= 1
                if depth == 0 { return PDFString(bytes: Data(result)) }
                result.append(byte)
            case 0x0D:
                // A bare end-of-line (CR, LF or CR LF) reads as one LF.
                if position < bytes.count, bytes[position] == 0x0A { position += 1 }
                result.append(0x0A)
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { break }
                let escaped = bytes[position]
                position += 1
                switch escaped {
                case UInt8(ascii: "n"): result.append(0x0A)
                case UInt8(ascii: "r"): result.append(0x0D)
                case UInt8(ascii: "t"): result.append(0x09)
                case UInt8(ascii: "b"): result.append(0x08)
                case UInt8(ascii: "f"): result.append(0x0C)
                case UInt8(ascii: "0")...UInt8(ascii: "7"):
                    var value = Int(escaped - 0x30)
                    var digits = 1
                    while digits < 3, position < bytes.count,
                          bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "7") {
                        value = value * 8 + Int(bytes[position] - 0x30)
                        position += 1
                        digits += 1
                    }
                    result.append(UInt8(truncatingIfNeeded: value))
                case 0x0D:
                    // Backslash + end-of-line continues the string on the next line.
                    if position < bytes.count, bytes[position] == 0x0A { position += 1 }
                case 0x0A:
                    break
                default:
                    // `\(`, `\)`, `\\` and, per §7.3.4.2, any other byte: the backslash is ignored.
                    result.append(escaped)
                }
            default:
                result.append(byte)
            }
        }
        throw error("unterminated literal string", at: start)
    }

    /// §7.3.4.3 hexadecimal string; the `<` is already consumed. White-space is
    /// ignored and an odd final digit is followed by an implied 0.
    private mutating func readHexString(start: Int) throws -> PDFString {
        var result: [UInt8] = []
        var high: UInt8?
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: ">") {
                if let high { result.append(high << 4) }
                return PDFString(bytes: Data(result), wasHex: true)
            }
            if ByteClass.isWhitespace(byte) { continue }
            guard let value = ByteClass.hexValue(byte) else {
                throw error("invalid character in hexadecimal string", at: position - 1)
            }
            if let pending = high {
                result.append(pending << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        throw error("unterminated hexadecimal string", at: start)
    }
}
