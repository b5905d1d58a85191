import Foundation

/// Locates the header and the cross-reference chain of a file and builds the
/// revisions (ISO 32000-2 §7.5.2 header, §7.5.5 trailer, §7.5.6 updates).
struct DocumentLoader {
    struct Result {
        var headerOffset: Int
        var headerVersion: String
        var startxref: Int?
        var revisions: [Revision]
        var entries: [Int: XRefEntry]
        var trailer: PDFDictionary
        var repaired: Bool
    }

    let bytes: UnsafeRawBufferPointer
    let options: ReadOptions

    var tolerant: Bool { options.mode == .tolerant }

    func load() throws -> Result {
        guard !bytes.isEmpty else { throw PDFError(.notPDF, "the file is empty") }
        let (headerOffset, version) = try findHeader()
        if !tolerant {
            let startxref = try findStartxref()
            let reader = XRefReader(bytes: bytes, options: options, shift: 0)
            return try build(sections: reader.readChain(from: startxref), startxref: startxref,
                             headerOffset: headerOffset, version: version)
        }
        // Tolerant: try the chain as written (offsets from byte 0, or from the
        // header when there is junk before it, or a few bytes off), then rebuild.
        if let startxref = try? findStartxref() {
            var shifts = [0]
            if headerOffset > 0 { shifts.insert(headerOffset, at: 0) }
            for shift in shifts {
                for candidate in candidates(near: startxref + shift) {
                    let reader = XRefReader(bytes: bytes, options: options, shift: shift)
                    guard let sections = try? reader.readChain(from: candidate), !sections.isEmpty,
                          let result = try? build(sections: sections, startxref: candidate,
                                                  headerOffset: headerOffset, version: version),
                          rootLooksValid(result) else { continue }
                    return result
                }
            }
        }
        let scanned = try XRefScanner(bytes: bytes, options: options).scan()
        return Result(headerOffset: headerOffset, headerVersion: version, startxref: nil, revisions: [],
                      entries: scanned.entries, trailer: scanned.trailer, repaired: true)
    }

    /// §7.5.2: `%PDF-x.y`. Strict: at byte 0. Tolerant: within the first 64 KB.
    private func findHeader() throws -> (Int, String) {
        let offset: Int
        if tolerant {
            guard let found = Lexer.find("%PDF-", in: bytes, from: 0, to: min(bytes.count, 65_536)) else {
                if Lexer.findLast("startxref", in: bytes, before: bytes.count,
                                  from: max(0, bytes.count - 65_536)) != nil {
                    return (0, "1.4")
                }
                throw PDFError(.notPDF, "the file has no %PDF- header")
            }
            offset = found
        } else {
            guard Lexer(bytes).hasPrefix("%PDF-", at: 0) else {
                throw PDFError(.notPDF, "the file does not start with a %PDF- header", offset: 0)
            }
            offset = 0
        }
        var end = offset + 5
        while end < bytes.count, end < offset + 12,
              ByteClass.isDigit(bytes[end]) || bytes[end] == UInt8(ascii: ".") { end += 1 }
        let version = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(offset + 5)..<end]), as: UTF8.self)
        guard version.contains("."), version.first?.isNumber == true else {
            throw PDFError(.notPDF, "the %PDF- header has no version number", offset: offset)
        }
        return (offset, version)
    }

    /// §7.5.5: the last `startxref` keyword, followed by an offset and `%%EOF`.
    private func findStartxref() throws -> Int {
        let window = max(0, bytes.count - 1_048_576)
        guard let keyword = Lexer.findLast("startxref", in: bytes, before: bytes.count, from: window) else {
            throw PDFError(.xref, "the file has no startxref")
        }
        var lexer = Lexer(bytes, position: keyword + 9)
        lexer.skipWhitespace()
        guard let offset = lexer.readUnsignedInteger(maxDigits: 18) else {
            throw PDFError(.xref, "startxref is not followed by a byte offset", offset: keyword)
        }
        lexer.skipWhitespaceOnly()
        if !tolerant && !lexer.hasPrefix("%%EOF", at: lexer.position) {
            throw PDFError(.xref, "startxref is not followed by %%EOF", offset: keyword)
        }
        guard offset < bytes.count else {
            if tolerant { return offset }
            throw PDFError(.xref, "startxref points outside the file", offset: keyword)
        }
        return offset
    }

    /// Offsets worth trying for a `startxref` that may be slightly off.
    private func candidates(near offset: Int) -> [Int] {
        var result = [offset]
        let low = max(0, offset - 64)
        let high = min(bytes.count, offset + 64)
        if low < high, let found = Lexer.find("xref", in: bytes, from: low, to: high),
           found != offset, !(found >= 5 && Lexer(bytes).hasPrefix("start", at: found - 5)) {
            result.append(found)
        }
        return result
    }

    /// Tolerant mode accepts a chain only if its catalog entry points at the right object.
    private func rootLooksValid(_ result: Result) -> Bool {
        guard let root = result.trailer["Root"]?.referenceValue, let entry = result.entries[root.number] else {
            return false
        }
        switch entry {
        case .inUse(let offset, _):
            guard offset >= 0, offset < bytes.count else { return false }
            var parser = ObjectParser(bytes, position: offset, tolerant: true)
            guard let header = try? parser.parseObjectHeader() else { return false }
            return header.number == root.number
        case .compressed:
            return true
        case .free:
            return false
        }
    }

    private func build(sections: [XRefReader.Section], startxref: Int, headerOffset: Int,
                       version: String) throws -> Result {
        guard let newest = sections.first else { throw PDFError(.xref, "no cross-reference section") }
        // Sections followed by the same %%EOF belong to one update (Acrobat
        // writes two sections per save); they form one revision.
        var groups: [(sections: [XRefReader.Section], eof: Int?, end: Int?)] = []
        for section in sections {
            var eofOffset: Int?
            var endOffset: Int?
            if let marker = Lexer.find("%%EOF", in: bytes, from: section.sectionEnd) {
                eofOffset = marker + 5
                var end = marker + 5
                if end < bytes.count, bytes[end] == 0x0D { end += 1 }
                if end < bytes.count, bytes[end] == 0x0A { end += 1 }
                endOffset = end
            } else if !tolerant {
                throw PDFError(.xref, "a cross-reference section is not followed by %%EOF", offset: section.startxref)
            }
            if let eofOffset, let last = groups.last, last.eof == eofOffset {
                groups[groups.count - 1].sections.append(section)
            } else {
                groups.append(([section], eofOffset, endOffset))
            }
        }
        var revisions: [Revision] = []
        for (index, group) in groups.reversed().enumerated() {
            let newest = group.sections[0]
            var entries = group.sections.count == 1 ? newest.entries : [:]
            for section in group.sections where group.sections.count > 1 {
                for (number, entry) in section.entries where entries[number] == nil { entries[number] = entry }
            }
            revisions.append(Revision(index: index, kind: newest.kind, startxref: newest.startxref,
                                      trailer: newest.trailer, entries: entries,
                                      xrefStreamOffset: group.sections.lazy.compactMap(\.xrefStreamOffset).first,
                                      sectionEnd: group.sections.map(\.sectionEnd).max() ?? newest.sectionEnd,
                                      eofOffset: group.eof, endOffset: group.end))
        }
        // Oldest first, each newer section overriding: the oldest (usually the
        // largest) table is shared, not copied, when nothing overrides it.
        var entries = sections.last?.entries ?? [:]
        for section in sections.dropLast().reversed() {
            for (number, entry) in section.entries { entries[number] = entry }
        }
        var trailer = newest.trailer
        if tolerant {
            for key in ["Root", "Info", "ID", "Encrypt"] where trailer[key] == nil {
                trailer[key] = sections.lazy.compactMap { $0.trailer[key] }.first
            }
        }
        // §7.3.7: a null value is the same as an absent key (`/Encrypt null` occurs).
        for entry in trailer where entry.value.isNull { trailer[entry.key] = nil }
        guard trailer["Root"] != nil else { throw PDFError(.xref, "the trailer has no /Root") }
        return Result(headerOffset: headerOffset, headerVersion: version, startxref: startxref,
                      revisions: revisions, entries: entries, trailer: trailer, repaired: false)
    }
}
