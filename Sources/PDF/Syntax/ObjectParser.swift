import Foundation

/// Parses objects (ISO 32000-2 §7.3) and indirect objects with their streams
/// (§7.3.8, §7.3.10) from a borrowed buffer.
///
/// Nesting is bounded by ``maxDepth``; recursion depth never exceeds it.
struct ObjectParser {
    var lexer: Lexer
    /// Tolerant parsing accepts a wrong stream `/Length` (the data then ends at
    /// `endstream`), a missing `endobj` and a dictionary value missing before `>>`.
    let tolerant: Bool
    let maxDepth: Int
    /// Resolves an indirect `/Length` of a stream.
    var lengthResolver: ((ObjectRef) throws -> Int?)?
    /// False to find a stream's extent (its `/Length` and `endstream` checked as
    /// usual) without copying its data: the stream comes back with empty data.
    var keepsStreamData = true

    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0, tolerant: Bool = false, maxDepth: Int = 256,
         lengthResolver: ((ObjectRef) throws -> Int?)? = nil) {
        lexer = Lexer(bytes, position: position)
        self.tolerant = tolerant
        self.maxDepth = maxDepth
        self.lengthResolver = lengthResolver
    }

    var position: Int {
        get { lexer.position }
        set { lexer.position = newValue }
    }

    /// Reads one direct object (no stream, no `obj` wrapper).
    mutating func parseObject() throws -> PDFObject {
        let start = lexer.position
        let token = try lexer.next()
        return try object(from: token, start: start, depth: 0)
    }

    mutating func object(from token: Token, start: Int, depth: Int) throws -> PDFObject {
        switch token {
        case .integer(let value):
            if value >= 0, let reference = tryReference(number: value) { return .reference(reference) }
            return .integer(value)
        case .real(let value): return .real(value)
        case .name(let value): return .name(value)
        case .string(let value): return .string(value)
        case .keyword(.true): return .bool(true)
        case .keyword(.false): return .bool(false)
        case .keyword(.null): return .null
        case .arrayOpen:
            guard depth < maxDepth else { throw PDFError(.limit, "objects nested too deeply", offset: start) }
            return .array(try parseArrayBody(depth: depth + 1))
        case .dictionaryOpen:
            guard depth < maxDepth else { throw PDFError(.limit, "objects nested too deeply", offset: start) }
            return .dictionary(try parseDictionaryBody(depth: depth + 1))
        case .endOfInput:
            throw PDFError(.malformed, "unexpected end of data where an object was expected", offset: start)
        default:
            throw PDFError(.malformed, "unexpected token where an object was expected", offset: start)
        }
    }

    /// After an unsigned integer: `G R` makes it a reference; otherwise the
    /// lexer is put back.
    private mutating func tryReference(number: Int) -> ObjectRef? {
        let saved = lexer.position
        lexer.skipWhitespace()
        if let generation = lexer.readUnsignedInteger(maxDigits: 10),
           lexer.isAtEnd || !ByteClass.isRegular(lexer.byte(at: lexer.position)) {
            lexer.skipWhitespace()
            if lexer.position < lexer.count, lexer.byte(at: lexer.position) == UInt8(ascii: "R"),
               lexer.matches("R", at: lexer.position) {
                lexer.position += 1
                return ObjectRef(number: number, generation: generation)
            }
        }
        lexer.position = saved
        return nil
    }

    private mutating func parseArrayBody(depth: Int) throws -> [PDFObject] {
        var elements: [PDFObject] = []
        while true {
            let start = lexer.position
            let token = try lexer.next()
            if token == .arrayClose { return elements }
            if token == .endOfInput { throw PDFError(.malformed, "unterminated array", offset: start) }
            elements.append(try object(from: token, start: start, depth: depth))
        }
    }

    private mutating func parseDictionaryBody(depth: Int) throws -> PDFDictionary {
        var entries: [PDFDictionary.Entry] = []
        // Positions by key, so a duplicate key (the last one wins) costs O(1).
        var positions: [String: Int] = [:]
        func set(_ key: String, _ value: PDFObject) {
            if let index = positions[key] {
                entries[index].value = value
            } else {
                positions[key] = entries.count
                entries.append(PDFDictionary.Entry(key: key, value: value))
            }
        }
        while true {
            let start = lexer.position
            let token = try lexer.next()
            switch token {
            case .dictionaryClose:
                return PDFDictionary(uniqueEntries: entries)
            case .name(let key):
                let valueStart = lexer.position
                let valueToken = try lexer.next()
                if valueToken == .dictionaryClose {
                    guard tolerant else { throw PDFError(.malformed, "dictionary key /\(key) has no value", offset: valueStart) }
                    set(key, .null)
                    return PDFDictionary(uniqueEntries: entries)
                }
                set(key, try object(from: valueToken, start: valueStart, depth: depth))
            case .endOfInput:
                throw PDFError(.malformed, "unterminated dictionary", offset: start)
            default:
                throw PDFError(.malformed, "dictionary key is not a name", offset: start)
            }
        }
    }

    /// Reads `N G obj` at the current position, returning the reference and
    /// leaving the lexer after `obj`. White-space before the header is skipped
    /// (writers that count an offset from the preceding end-of-line are common,
    /// and white-space cannot change what follows); tolerant parsing also skips comments.
    mutating func parseObjectHeader() throws -> ObjectRef {
        let start = lexer.position
        if tolerant { lexer.skipWhitespace() } else { lexer.skipWhitespaceOnly() }
        guard let number = lexer.readUnsignedInteger(maxDigits: 10) else {
            throw PDFError(.xref, "no object header at the offset given by the cross-reference data", offset: start)
        }
        lexer.skipWhitespace()
        guard let generation = lexer.readUnsignedInteger(maxDigits: 10) else {
            throw PDFError(.xref, "no object header at the offset given by the cross-reference data", offset: start)
        }
        lexer.skipWhitespace()
        guard lexer.matches("obj", at: lexer.position) else {
            throw PDFError(.xref, "no object header at the offset given by the cross-reference data", offset: start)
        }
        lexer.position += 3
        return ObjectRef(number: number, generation: generation)
    }

    /// Reads an indirect object `N G obj … endobj` (§7.3.10), including its
    /// stream data when the object is a stream (§7.3.8).
    mutating func parseIndirectObject() throws -> (ObjectRef, PDFObject) {
        let reference = try parseObjectHeader()
        let start = lexer.position
        let token = try lexer.next()
        var value = try object(from: token, start: start, depth: 0)
        if case .dictionary(let dictionary) = value {
            let afterDictionary = lexer.position
            lexer.skipWhitespace()
            if lexer.matches("stream", at: lexer.position) {
                lexer.position += 6
                let data = try readStreamData(dictionary: dictionary, object: reference.number)
                value = .stream(PDFStream(dictionary: dictionary, data: data))
            } else {
                lexer.position = afterDictionary
            }
        }
        let endStart = lexer.position
        lexer.skipWhitespace()
        if lexer.matches("endobj", at: lexer.position) {
            lexer.position += 6
        } else if !tolerant {
            throw PDFError(.malformed, "missing endobj", object: reference.number, offset: endStart)
        } else {
            lexer.position = endStart
        }
        return (reference, value)
    }

    /// Stream data after the `stream` keyword: an end-of-line (CR LF or LF),
    /// `/Length` bytes, optional white-space, then `endstream`.
    private mutating func readStreamData(dictionary: PDFDictionary, object: Int) throws -> Data {
        let bytes = lexer.bytes
        var dataStart = lexer.position
        if dataStart < bytes.count, bytes[dataStart] == 0x0D {
            dataStart += 1
            if dataStart < bytes.count, bytes[dataStart] == 0x0A { dataStart += 1 }
        } else if dataStart < bytes.count, bytes[dataStart] == 0x0A {
            dataStart += 1
        } else if !tolerant {
            throw PDFError(.malformed, "the stream keyword is not followed by an end-of-line", object: object,
                           offset: dataStart)
        }
        var length: Int?
        switch dictionary["Length"] {
        case .reference(let reference)?:
            length = try lengthResolver?(reference)
        case let other?:
            length = other.intValue
        case nil:
            length = nil
        }
        // Compared by subtraction: a hostile /Length near Int.max must not overflow.
        if let length, length >= 0, length <= bytes.count - dataStart {
            var after = dataStart + length
            lexer.position = after
            lexer.skipWhitespace()
            if lexer.matches("endstream", at: lexer.position) {
                lexer.position += 9
                return keepsStreamData ? Data(UnsafeRawBufferPointer(rebasing: bytes[dataStart..<after])) : Data()
            }
            after = lexer.position
            if !tolerant {
                throw PDFError(.malformed, "stream data is not followed by endstream (wrong /Length?)",
                               object: object, offset: after)
            }
        } else if !tolerant {
            throw PDFError(.malformed, "stream has no usable /Length", object: object, offset: dataStart)
        }
        // Tolerant: the data runs up to the next `endstream`, minus the end-of-line before it.
        guard let end = Lexer.find("endstream", in: bytes, from: dataStart) else {
            throw PDFError(.malformed, "stream has no endstream", object: object, offset: dataStart)
        }
        var dataEnd = end
        if dataEnd > dataStart, bytes[dataEnd - 1] == 0x0A { dataEnd -= 1 }
        if dataEnd > dataStart, bytes[dataEnd - 1] == 0x0D { dataEnd -= 1 }
        lexer.position = end + 9
        return keepsStreamData ? Data(UnsafeRawBufferPointer(rebasing: bytes[dataStart..<dataEnd])) : Data()
    }
}
