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

    /// Most cross-reference entries all sections of one file may declare
    /// together. Every entry that means something is backed by bytes of the
    /// file (an object, or an object stream's header), so a file cannot need
    /// more entries than it has bytes; a declared count beyond that is a
    /// memory bomb, refused before anything is allocated for it.
    var entryBudget: Int { max(65_536, bytes.count) }

    /// The sections of the chain starting at `startxref`, newest first.
    func readChain(from startxref: Int) throws -> [Section] {
        var sections: [Section] = []
        var visited: Set<Int> = []
        var entriesRead = 0
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
                section = try readSection(at: offset, budget: entryBudget - entriesRead)
            } catch where tolerant && !sections.isEmpty {
                // An older section is unreadable: keep what the newer ones say.
                break
            } catch var error as PDFError where !tolerant {
                // Name the revision: counted back from the end, as the chain is read.
                error.message += sections.isEmpty ? ", in the file's last revision"
                    : ", in the revision \(sections.count) before the last"
                throw error
            }
            entriesRead += section.entries.count
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
    func readSection(at offset: Int, budget: Int) throws -> Section {
        guard offset >= 0, offset < bytes.count else {
            throw PDFError(.xref, "cross-reference offset points outside the file", offset: offset)
        }
        var lexer = Lexer(bytes, position: offset)
        // As for object headers, white-space before the keyword is accepted.
        if tolerant { lexer.skipWhitespace() } else { lexer.skipWhitespaceOnly() }
        if lexer.matches("xref", at: lexer.position) {
            var section = try readTable(at: lexer.position, startxref: offset, budget: budget)
            if let value = section.trailer["XRefStm"] {
                guard let streamOffset = value.intValue, streamOffset >= 0 else {
                    throw PDFError(.xref, "/XRefStm is not a byte offset", offset: offset)
                }
                do {
                    let stream = try readStream(at: streamOffset + shift, budget: budget - section.entries.count)
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
                return try readStream(at: lexer.position, startxref: offset, budget: budget)
            }
        }
        throw PDFError(.xref, "startxref or /Prev does not point at a cross-reference section", offset: offset)
    }

    /// §7.5.4: `xref`, subsections `start count` with entries
    /// `oooooooooo ggggg n|f`, then `trailer << … >>`. Strict reading takes
    /// entries only in the exact 20-byte form (a two-byte end-of-line: SP CR,
    /// SP LF or CR LF) and refuses a section that defines a number twice, since
    /// readers that locate entries by arithmetic and readers that tokenise
    /// would otherwise see different objects. Tolerant reading takes them as
    /// tokens (the 19-byte form, space-padded numbers).
    private func readTable(at position: Int, startxref: Int, budget: Int) throws -> Section {
        if !tolerant { return try readExactTable(at: position, startxref: startxref, budget: budget) }
        var lexer = Lexer(bytes, position: position + 4)
        var entries: [Int: XRefEntry] = [:]
        let maxNumber = options.maxObjectNumber
        while let (start, count, subsectionStart) = try subsectionHeader(&lexer) {
            // Tolerant entries may be as short as 17 bytes.
            guard start + count <= maxNumber, count <= (bytes.count - lexer.position) / 17 + 1,
                  entries.count + count <= budget else {
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
                if entryIndex == 0, start == 1, type == UInt8(ascii: "f"), offset == 0, generation == 65535 {
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

    /// The strict table: subsection headers and the trailer are read first
    /// (entries are 20 bytes, so each subsection's extent is known), overlapping
    /// subsections are refused, then the entries are read. A free entry of the
    /// oldest section (no `/Prev`, no `/XRefStm`) frees nothing and is not kept,
    /// except the list head, so a table of millions of free entries costs nothing.
    private func readExactTable(at position: Int, startxref: Int, budget: Int) throws -> Section {
        var lexer = Lexer(bytes, position: position + 4)
        var subsections: [(start: Int, count: Int, position: Int)] = []
        var declared = 0
        while let (start, count, subsectionStart) = try subsectionHeader(&lexer) {
            declared += count
            guard start + count <= options.maxObjectNumber, count <= (bytes.count - lexer.position) / 20,
                  declared <= budget else {
                throw PDFError(.limit, "cross-reference subsection is too large", offset: subsectionStart)
            }
            // The header line ends with an end-of-line; entries follow it directly.
            while lexer.position < bytes.count, bytes[lexer.position] == 0x20 { lexer.position += 1 }
            if lexer.position < bytes.count, bytes[lexer.position] == 0x0D { lexer.position += 1 }
            if lexer.position < bytes.count, bytes[lexer.position] == 0x0A { lexer.position += 1 }
            subsections.append((start, count, lexer.position))
            // Each entry is checked for its exact form here, before anything is
            // kept, so a short entry is named instead of shifting the rest.
            for index in 0..<count where exactEntry(at: lexer.position + 20 * index) == nil {
                throw notExact(start + index, at: lexer.position + 20 * index)
            }
            lexer.position += 20 * count
        }
        let trailerStart = lexer.position
        var parser = ObjectParser(bytes, position: lexer.position, tolerant: false, maxDepth: options.maxDepth)
        guard case .dictionary(let trailer) = try parser.parseObject() else {
            throw PDFError(.xref, "trailer is not a dictionary", offset: trailerStart)
        }

        // No number defined twice: sorted by start, each subsection begins after the previous ends.
        var end = 0
        for subsection in subsections.filter({ $0.count > 0 }).sorted(by: { $0.start < $1.start }) {
            if subsection.start < end {
                let number = subsection.start
                throw PDFError(.xref, "the cross-reference section at byte \(startxref) defines object \(number) twice, so readers disagree on which entry counts",
                               object: number, offset: subsection.position)
            }
            end = max(end, subsection.start + subsection.count)
        }

        let keepsFree = trailer["Prev"] != nil || trailer["XRefStm"] != nil
        var entries: [Int: XRefEntry] = [:]
        for subsection in subsections {
            for index in 0..<subsection.count {
                let number = subsection.start + index
                let at = subsection.position + 20 * index
                guard let entry = exactEntry(at: at) else { throw notExact(number, at: at) }
                switch entry.type {
                case UInt8(ascii: "n"):
                    entries[number] = .inUse(offset: entry.offset + shift, generation: entry.generation)
                case UInt8(ascii: "f") where keepsFree || number == 0:
                    entries[number] = .free(nextFree: entry.offset, generation: entry.generation)
                case UInt8(ascii: "f"):
                    continue
                default:
                    throw PDFError(.xref, "cross-reference entry type is neither n nor f", offset: at)
                }
            }
        }
        return Section(kind: .table, startxref: startxref, trailer: trailer, entries: entries,
                       xrefStreamOffset: nil, sectionEnd: parser.position)
    }

    private func notExact(_ number: Int, at position: Int) -> PDFError {
        PDFError(.xref, "the cross-reference entry for object \(number) is not in the exact 20-byte form of ISO 32000 §7.5.4, so readers may disagree on where it points",
                 object: number, offset: position)
    }

    /// A subsection's `start count` line, or nil (after the keyword) at `trailer`.
    private func subsectionHeader(_ lexer: inout Lexer) throws -> (start: Int, count: Int, offset: Int)? {
        lexer.skipWhitespace()
        let offset = lexer.position
        if lexer.matches("trailer", at: offset) {
            lexer.position += 7
            return nil
        }
        guard let start = lexer.readUnsignedInteger(maxDigits: 10) else {
            throw PDFError(.xref, "malformed cross-reference subsection header", offset: offset)
        }
        lexer.skipWhitespace()
        guard let count = lexer.readUnsignedInteger(maxDigits: 10) else {
            throw PDFError(.xref, "malformed cross-reference subsection header", offset: offset)
        }
        return (start, count, offset)
    }

    /// §7.5.4: `nnnnnnnnnn ggggg n` and a two-byte end-of-line, exactly.
    private func exactEntry(at position: Int) -> (offset: Int, generation: Int, type: UInt8)? {
        guard position >= 0, bytes.count - position >= 20 else { return nil }
        var offset = 0
        for index in position..<(position + 10) {
            guard ByteClass.isDigit(bytes[index]) else { return nil }
            offset = offset * 10 + Int(bytes[index] - 0x30)
        }
        var generation = 0
        for index in (position + 11)..<(position + 16) {
            guard ByteClass.isDigit(bytes[index]) else { return nil }
            generation = generation * 10 + Int(bytes[index] - 0x30)
        }
        let type = bytes[position + 17]
        guard bytes[position + 10] == 0x20, bytes[position + 16] == 0x20,
              type == UInt8(ascii: "n") || type == UInt8(ascii: "f") else { return nil }
        switch (bytes[position + 18], bytes[position + 19]) {
        case (0x20, 0x0D), (0x20, 0x0A), (0x0D, 0x0A): return (offset, generation, type)
        default: return nil
        }
    }

    /// §7.5.8: an indirect stream object `/Type /XRef` with `/W`, `/Index`, `/Size`.
    func readStream(at offset: Int, startxref: Int? = nil, budget: Int) throws -> Section {
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
        let rowLength = widths.reduce(0, +)
        guard rowLength > 0 else {
            throw PDFError(.xref, "cross-reference stream has an empty /W", object: reference.number)
        }
        // Declared entries are checked against the file before anything is decoded:
        // a few kilobytes of compressed zeros can declare millions of entries.
        let expected = ranges.reduce(0) { $0 + $1.1 }
        guard expected <= budget else {
            throw PDFError(.limit, "cross-reference stream \(reference.number) declares \(expected) entries, more than a file of \(bytes.count) bytes can hold",
                           object: reference.number, offset: offset)
        }
        if !tolerant {
            var seen = IndexSet()
            for (start, count) in ranges where count > 0 {
                let range = start..<(start + count)
                guard !seen.intersects(integersIn: range) else {
                    let twice = range.first { seen.contains($0) } ?? start
                    throw PDFError(.xref, "cross-reference stream \(reference.number) defines object \(twice) twice in its /Index, so readers disagree on which entry counts",
                                   object: twice, offset: offset)
                }
                seen.insert(integersIn: range)
            }
        }
        // Rows, plus predictor tag bytes (one per row of /Columns) and slack: a legitimate
        // stream never decodes to more, so a bomb stops here.
        var limits = options.decodeLimits
        limits.maxDecodedBytes = min(limits.maxDecodedBytes, max(expected, 1) * rowLength * 2 + 4096)
        let data = try stream.decodedData(limits: limits)
        if data.count / rowLength < expected && !tolerant {
            throw PDFError(.xref, "cross-reference stream is shorter than its /Index says", object: reference.number)
        }
        // In the oldest section (no /Prev) a free entry frees nothing, so none is
        // kept but the list head: declared-free millions allocate nothing.
        let keepsFree = dictionary["Prev"] != nil
        var entries: [Int: XRefEntry] = [:]
        data.withUnsafeBytes { data in
            var position = 0
            func field(_ width: Int) -> Int {
                var value = 0
                for _ in 0..<width {
                    value = value &<< 8 | Int(data[position])
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
                    case 0 where keepsFree || number == 0: entries[number] = .free(nextFree: second, generation: third)
                    case 0: continue
                    case 1: entries[number] = .inUse(offset: second &+ shift, generation: third)
                    case 2: entries[number] = .compressed(objectStream: second, index: third)
                    default: break // §7.5.8.3: other types are references to the null object
                    }
                }
            }
        }
        return Section(kind: .stream, startxref: startxref ?? offset, trailer: dictionary, entries: entries,
                       xrefStreamOffset: nil, sectionEnd: parser.position)
    }
}
