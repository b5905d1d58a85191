import Foundation

/// Reads cross-reference sections (ISO 32000-2 §7.5.4 tables, §7.5.8 streams,
/// §7.5.8.4 hybrid files) and follows the `/Prev` chain of incremental
/// updates (§7.5.6) with loop detection.
struct XRefReader {
    /// One section as read, before it is numbered as a ``Revision``.
    struct Section {
        var kind: Revision.Kind
        var startxref: Int
        var trailer: PDFDictionary
        var entries: [Int: XRefEntry]
        var xrefStreamOffset: Int?
        var sectionEnd: Int
    }

    let bytes: UnsafeRawBufferPointer
    let options: ReadOptions
    /// Added to every offset read from the file (tolerant reading of files
    /// with junk before the header, whose offsets count from the header).
    let shift: Int

    var tolerant: Bool { options.mode == .tolerant }

    /// The sections of the chain starting at `startxref`, newest first.
    func readChain(from startxref: Int) throws -> [Section] {
        var sections: [Section] = []
        var visited: Set<Int> = []
        var next: Int? = startxref
        while let offset = next {
            guard visited.insert(offset).inserted else {
                if tolerant { break }
                throw PDFError(.xref, "the /Prev chain of cross-reference sections loops", offset: offset)
            }
            guard sections.count < 100_000 else {
                throw PDFError(.limit, "too many cross-reference sections")
            }
            let section: Section
            do {
                section = try readSection(at: offset)
            } catch where tolerant && !sections.isEmpty {
                // An older section is unreadable: keep what the newer ones say.
                break
            }
            sections.append(section)
            next = try section.trailer["Prev"].map { value -> Int in
                guard let prev = value.intValue, prev >= 0 else {
                    throw PDFError(.xref, "/Prev is not a byte offset", offset: offset)
                }
                return prev + shift
            }
        }
        return sections
    }

    /// Reads the table or stream section at `offset` (and, for a hybrid table,
    /// the stream its `/XRefStm` names).
    func readSection(at offset: Int) throws -> Section {
        guard offset >= 0, offset < bytes.count else {
            throw PDFError(.xref, "cross-reference offset points outside the file", offset: offset)
        }
        var lexer = Lexer(bytes, position: offset)
        // As for object headers, white-space before the keyword is accepted.
        if tolerant { lexer.skipWhitespace() } else { lexer.skipWhitespaceOnly() }
        if lexer.matches("xref", at: lexer.position) {
            var section = try readTable(at: lexer.position, startxref: offset)
            if let value = section.trailer["XRefStm"] {
                guard let streamOffset = value.intValue, streamOffset >= 0 else {
                    throw PDFError(.xref, "/XRefStm is not a byte offset", offset: offset)
                }
                do {
                    let stream = try readStream(at: streamOffset + shift)
                    var merged = stream.entries
                    for (number, entry) in section.entries {
                        // §7.5.8.4: the table is searched first; its free entries
                        // do not hide what the hidden stream defines.
                        if entry.isFree, let existing = merged[number], !existing.isFree { continue }
                        merged[number] = entry
                    }
                    section.entries = merged
                    section.kind = .hybrid
                    section.xrefStreamOffset = streamOffset + shift
                } catch let error as PDFError {
                    if !tolerant { throw error }
                }
            }
            return section
        }
        if lexer.position < bytes.count, ByteClass.isDigit(bytes[lexer.position]) {
            var probe = ObjectParser(bytes, position: lexer.position, tolerant: tolerant)
            if (try? probe.parseObjectHeader()) != nil {
                return try readStream(at: lexer.position, startxref: offset)
            }
        }
        throw PDFError(.xref, "startxref or /Prev does not point at a cross-reference section", offset: offset)
    }

    /// §7.5.4: `xref`, subsections `start count` with entries
    /// `oooooooooo ggggg n|f`, then `trailer << … >>`. Entries are read as
    /// tokens, so the 20-byte form, the common 19-byte form (single-byte
    /// end-of-line) and space-padded numbers are all accepted.
    private func readTable(at position: Int, startxref: Int) throws -> Section {
        var lexer = Lexer(bytes, position: position + 4)
        var entries: [Int: XRefEntry] = [:]
        let maxNumber = options.maxObjectNumber
        while true {
            lexer.skipWhitespace()
            let subsectionStart = lexer.position
            if lexer.matches("trailer", at: lexer.position) {
                lexer.position += 7
                break
            }
            guard let start = lexer.readUnsignedInteger(maxDigits: 10) else {
                throw PDFError(.xref, "malformed cross-reference subsection header", offset: subsectionStart)
            }
            lexer.skipWhitespace()
            guard let count = lexer.readUnsignedInteger(maxDigits: 10) else {
                throw PDFError(.xref, "malformed cross-reference subsection header", offset: subsectionStart)
            }
            guard start + count <= maxNumber, count <= (bytes.count - lexer.position) / 17 + 1 else {
                throw PDFError(.limit, "cross-reference subsection is too large", offset: subsectionStart)
            }
            var number = start
            for entryIndex in 0..<count {
                lexer.skipWhitespace()
                let entryStart = lexer.position
                guard let offset = lexer.readUnsignedInteger(maxDigits: 10) else {
                    throw PDFError(.xref, "malformed cross-reference entry", offset: entryStart)
                }
                lexer.skipWhitespace()
                guard let generation = lexer.readUnsignedInteger(maxDigits: 5) else {
                    throw PDFError(.xref, "malformed cross-reference entry", offset: entryStart)
                }
                lexer.skipWhitespace()
                guard lexer.position < bytes.count else {
                    throw PDFError(.xref, "truncated cross-reference table", offset: entryStart)
                }
                let type = bytes[lexer.position]
                lexer.position += 1
                // A common writer bug: a subsection "1 n" whose first entry is the
                // head of the free list, i.e. really object 0.
                if tolerant, entryIndex == 0, start == 1, type == UInt8(ascii: "f"), offset == 0,
                   generation == 65535 {
                    number = 0
                }
                switch type {
                case UInt8(ascii: "n"):
                    entries[number] = .inUse(offset: offset + shift, generation: generation)
                case UInt8(ascii: "f"):
                    entries[number] = .free(nextFree: offset, generation: generation)
                default:
                    throw PDFError(.xref, "cross-reference entry type is neither n nor f", offset: entryStart)
                }
                number += 1
            }
        }
        let trailerStart = lexer.position
        var parser = ObjectParser(bytes, position: lexer.position, tolerant: tolerant, maxDepth: options.maxDepth)
        guard case .dictionary(let trailer) = try parser.parseObject() else {
            throw PDFError(.xref, "trailer is not a dictionary", offset: trailerStart)
        }
        return Section(kind: .table, startxref: startxref, trailer: trailer, entries: entries,
                       xrefStreamOffset: nil, sectionEnd: parser.position)
    }

    /// §7.5.8: an indirect stream object `/Type /XRef` with `/W`, `/Index`, `/Size`.
    func readStream(at offset: Int, startxref: Int? = nil) throws -> Section {
        guard offset >= 0, offset < bytes.count else {
            throw PDFError(.xref, "cross-reference stream offset points outside the file", offset: offset)
        }
        var parser = ObjectParser(bytes, position: offset, tolerant: tolerant, maxDepth: options.maxDepth)
        let (reference, object) = try parser.parseIndirectObject()
        guard case .stream(let stream) = object else {
            throw PDFError(.xref, "cross-reference stream object is not a stream", object: reference.number, offset: offset)
        }
        let dictionary = stream.dictionary
        if dictionary.name("Type") != "XRef" && !tolerant {
            throw PDFError(.xref, "cross-reference stream lacks /Type /XRef", object: reference.number, offset: offset)
        }
        guard let widths = dictionary["W"]?.arrayValue?.compactMap(\.intValue), widths.count == 3,
              widths.allSatisfy({ (0...8).contains($0) }) else {
            throw PDFError(.xref, "cross-reference stream has an invalid /W", object: reference.number, offset: offset)
        }
        guard let size = dictionary.int("Size"), size >= 0, size <= options.maxObjectNumber else {
            throw PDFError(.xref, "cross-reference stream has an invalid /Size", object: reference.number, offset: offset)
        }
        var ranges: [(Int, Int)] = []
        if let index = dictionary["Index"]?.arrayValue {
            let values = index.compactMap(\.intValue)
            guard values.count == index.count, values.count % 2 == 0 else {
                throw PDFError(.xref, "cross-reference stream has an invalid /Index", object: reference.number, offset: offset)
            }
            for pair in stride(from: 0, to: values.count, by: 2) {
                guard values[pair] >= 0, values[pair + 1] >= 0,
                      values[pair] + values[pair + 1] <= options.maxObjectNumber else {
                    throw PDFError(.limit, "cross-reference stream /Index is out of range", object: reference.number)
                }
                ranges.append((values[pair], values[pair + 1]))
            }
        } else {
            ranges = [(0, size)]
        }
        let data = try [UInt8](stream.decodedData(limits: options.decodeLimits))
        let rowLength = widths.reduce(0, +)
        guard rowLength > 0 else {
            throw PDFError(.xref, "cross-reference stream has an empty /W", object: reference.number)
        }
        let expected = ranges.reduce(0) { $0 + $1.1 }
        if data.count / rowLength < expected && !tolerant {
            throw PDFError(.xref, "cross-reference stream is shorter than its /Index says", object: reference.number)
        }
        var entries: [Int: XRefEntry] = [:]
        entries.reserveCapacity(expected)
        var position = 0
        func field(_ width: Int) -> Int {
            var value = 0
            for _ in 0..<width {
                value = value << 8 | Int(data[position])
                position += 1
            }
            return value
        }
        outer: for (start, count) in ranges {
            for number in start..<(start + count) {
                guard position + rowLength <= data.count else { break outer }
                let type = widths[0] == 0 ? 1 : field(widths[0])
                let second = field(widths[1])
                let third = field(widths[2])
                switch type {
                case 0: entries[number] = .free(nextFree: second, generation: third)
                case 1: entries[number] = .inUse(offset: second + shift, generation: third)
                case 2: entries[number] = .compressed(objectStream: second, index: third)
                default: break // §7.5.8.3: other types are references to the null object
                }
            }
        }
        return Section(kind: .stream, startxref: startxref ?? offset, trailer: dictionary, entries: entries,
                       xrefStreamOffset: nil, sectionEnd: parser.position)
    }
}
