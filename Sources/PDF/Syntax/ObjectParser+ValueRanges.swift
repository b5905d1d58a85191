extension ObjectParser {
    /// For the indirect object at the current position, which must be a
    /// dictionary, the byte range of each top-level value (e.g. where the
    /// `/Contents` string of a signature dictionary sits in the file).
    mutating func topLevelValueRanges() throws -> [String: Range<Int>] {
        let reference = try parseObjectHeader()
        let start = lexer.position
        guard try lexer.next() == .dictionaryOpen else {
            throw PDFError(.malformed, "object is not a dictionary", object: reference.number, offset: start)
        }
        var ranges: [String: Range<Int>] = [:]
        while true {
            let keyStart = lexer.position
            let token = try lexer.next()
            switch token {
            case .dictionaryClose:
                return ranges
            case .name(let key):
                lexer.skipWhitespace()
                let valueStart = lexer.position
                let valueToken = try lexer.next()
                _ = try object(from: valueToken, start: valueStart, depth: 1)
                ranges[key] = valueStart..<lexer.position
            default:
                throw PDFError(.malformed, "dictionary key is not a name", object: reference.number, offset: keyStart)
            }
        }
    }
}
