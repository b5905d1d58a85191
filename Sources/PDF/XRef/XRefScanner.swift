import Foundation

/// Rebuilds cross-reference data by scanning the whole file for `N G obj`
/// (tolerant mode only), the way qpdf and pdf.js recover damaged files:
/// later definitions win, objects of object streams fill numbers not defined
/// directly, and the trailer is the last `trailer` dictionary or
/// cross-reference stream dictionary that names a `/Root` (else the last
/// `/Type /Catalog` object found).
struct XRefScanner {
    let bytes: UnsafeRawBufferPointer
    let options: ReadOptions

    struct Result {
        var entries: [Int: XRefEntry]
        var trailer: PDFDictionary
    }

    /// Offsets of every `N G obj` header, later ones overriding earlier ones.
    func scanObjects() -> [Int: (offset: Int, generation: Int)] {
        var found: [Int: (offset: Int, generation: Int)] = [:]
        var position = 0
        while let hit = Lexer.find("obj", in: bytes, from: position) {
            position = hit + 3
            if position < bytes.count, ByteClass.isRegular(bytes[position]) { continue }
            if let header = headerBefore(hit), header.number <= options.maxObjectNumber {
                found[header.number] = (header.offset, header.generation)
            }
        }
        return found
    }

    /// Parses `N G ` backwards from the `obj` keyword at `keyword`.
    func headerBefore(_ keyword: Int) -> (number: Int, generation: Int, offset: Int)? {
        var index = keyword - 1
        func skipSpace() -> Bool {
            let start = index
            while index >= 0, ByteClass.isWhitespace(bytes[index]) { index -= 1 }
            return index < start
        }
        func digits() -> Int? {
            var value = 0
            var multiplier = 1
            let start = index
            while index >= 0, ByteClass.isDigit(bytes[index]), start - index < 10 {
                value += Int(bytes[index] - 0x30) * multiplier
                multiplier *= 10
                index -= 1
            }
            return index < start ? value : nil
        }
        guard skipSpace(), let generation = digits(), skipSpace(), let number = digits() else { return nil }
        if index >= 0, ByteClass.isRegular(bytes[index]) { return nil }
        return (number, generation, index + 1)
    }

    func scan() throws -> Result {
        let objects = scanObjects()
        var entries: [Int: XRefEntry] = [:]
        for (number, location) in objects {
            entries[number] = .inUse(offset: location.offset, generation: location.generation)
        }
        var trailerCandidates: [(offset: Int, dictionary: PDFDictionary)] = []
        var position = 0
        while let hit = Lexer.find("trailer", in: bytes, from: position) {
            position = hit + 7
            var parser = ObjectParser(bytes, position: position, tolerant: true, maxDepth: options.maxDepth)
            if case .dictionary(let dictionary)? = try? parser.parseObject(), dictionary["Root"] != nil {
                trailerCandidates.append((hit, dictionary))
            }
        }
        var catalogs: [(offset: Int, reference: ObjectRef)] = []
        for (number, location) in objects.sorted(by: { $0.value.offset < $1.value.offset }) {
            let windowEnd = min(bytes.count, location.offset + 1024)
            let isObjectStream = Lexer.find("/ObjStm", in: bytes, from: location.offset, to: windowEnd) != nil
            let isXRefStream = Lexer.find("/XRef", in: bytes, from: location.offset, to: windowEnd) != nil
            let isCatalog = Lexer.find("/Catalog", in: bytes, from: location.offset, to: windowEnd) != nil
            guard isObjectStream || isXRefStream || isCatalog else { continue }
            var parser = ObjectParser(bytes, position: location.offset, tolerant: true, maxDepth: options.maxDepth)
            guard let (_, object) = try? parser.parseIndirectObject() else { continue }
            let dictionary = object.dictionaryLike
            switch dictionary?.name("Type") {
            case "ObjStm":
                guard case .stream(let stream) = object,
                      let index = try? ObjectStreamIndex(stream: stream, number: number, options: options) else { continue }
                for (slot, member) in index.members.enumerated() where entries[member.number] == nil {
                    entries[member.number] = .compressed(objectStream: number, index: slot)
                }
            case "XRef":
                if let dictionary, dictionary["Root"] != nil { trailerCandidates.append((location.offset, dictionary)) }
            case "Catalog":
                catalogs.append((location.offset, ObjectRef(number: number, generation: location.generation)))
            default:
                break
            }
        }
        var trailer: PDFDictionary
        if let best = trailerCandidates.max(by: { $0.offset < $1.offset })?.dictionary {
            trailer = best
            if let root = trailer["Root"]?.referenceValue, entries[root.number] == nil,
               let catalog = catalogs.last {
                trailer["Root"] = .reference(catalog.reference)
            }
        } else if let catalog = catalogs.last {
            trailer = ["Root": .reference(catalog.reference)]
        } else {
            throw PDFError(.xref, "the file has no readable cross-reference data and no document catalog")
        }
        for key in ["Prev", "XRefStm", "Type", "W", "Index", "Filter", "DecodeParms", "Length"] { trailer[key] = nil }
        for entry in trailer where entry.value.isNull { trailer[entry.key] = nil }
        trailer["Size"] = .integer((entries.keys.max() ?? 0) + 1)
        return Result(entries: entries, trailer: trailer)
    }
}
