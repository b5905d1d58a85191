import Foundation

/// Reading the file as it stood after an older revision (ISO 32000-2 §7.5.6
/// incremental updates): what a verifier needs to compare an update's objects
/// with the ones they replace.
extension PDFDocument {
    /// The cross-reference entries in force after revision `index` (that
    /// section and every older one, the newer definition winning).
    public func entries(asOfRevision index: Int) -> [Int: XRefEntry] {
        guard revisions.indices.contains(index) else { return [:] }
        // The newest state is the document's own table (shared, not copied).
        if index == revisions.count - 1, !wasRepaired { return xref }
        var merged: [Int: XRefEntry] = [:]
        for revision in revisions[...index].reversed() {
            for (number, entry) in revision.entries where merged[number] == nil { merged[number] = entry }
        }
        return merged
    }

    /// The object `reference` as the file defined it after revision `index`
    /// (`.null` when it was free or undefined then). Not cached; indirect
    /// `/Length` values and object streams are resolved in the same revision.
    public func object(_ reference: ObjectRef, asOfRevision index: Int) throws -> PDFObject {
        try object(reference, entries: entries(asOfRevision: index), depth: 0)
    }

    /// Resolves `object` in the state after revision `index` if it is a reference.
    public func resolve(_ object: PDFObject, asOfRevision index: Int) throws -> PDFObject {
        guard case .reference(let reference) = object else { return object }
        return try self.object(reference, asOfRevision: index)
    }

    /// The object `reference` under a set of entries from ``entries(asOfRevision:)``
    /// (for callers that look up many objects in one state: the merge is done
    /// once, and `cache` keeps the object streams decoded for that state).
    /// With `streamData` false a stream comes back with its dictionary and empty
    /// data (its extent still checked): a caller judging the shape of an update
    /// never copies a large appended stream.
    public func object(_ reference: ObjectRef, in entries: [Int: XRefEntry],
                       cache: ObjectStreamCache? = nil, streamData: Bool = true) throws -> PDFObject {
        try object(reference, entries: entries, depth: 0, cache: cache, streamData: streamData)
    }

    /// Resolves `object` under `entries` if it is a reference.
    public func resolve(_ object: PDFObject, in entries: [Int: XRefEntry],
                        cache: ObjectStreamCache? = nil, streamData: Bool = true) throws -> PDFObject {
        guard case .reference(let reference) = object else { return object }
        return try self.object(reference, entries: entries, depth: 0, cache: cache, streamData: streamData)
    }

    /// Checks that the object header at `offset` reads `N G obj` for
    /// `reference` (§7.3.10), without parsing the object's body or stream.
    public func objectHeaderMatches(_ reference: ObjectRef, at offset: Int) -> Bool {
        guard offset >= 0, offset < data.count else { return false }
        let found = data.withUnsafeBytes { buffer -> ObjectRef? in
            var parser = ObjectParser(buffer, position: offset, tolerant: false, maxDepth: options.maxDepth)
            return try? parser.parseObjectHeader()
        }
        return found == reference
    }

    /// Every object number that an object in force after revision `index`, or
    /// the trailers' `/Root`, `/Info` and `/Encrypt`, refer to (`N G R`, §7.3.10). Stream data is
    /// not read (content streams hold no references); object streams are
    /// decoded once each. A verifier uses this to find references that
    /// pointed at nothing when a file was signed and that a later update fills.
    public func referencedObjectNumbers(asOfRevision index: Int) throws -> Set<Int> {
        guard revisions.indices.contains(index) else { return [] }
        let entries = entries(asOfRevision: index)
        var found = Set<Int>()
        func collect(_ object: PDFObject) {
            var stack = [object]
            while let next = stack.popLast() {
                switch next {
                case .reference(let reference): found.insert(reference.number)
                case .array(let elements): stack.append(contentsOf: elements)
                case .dictionary(let dictionary): stack.append(contentsOf: dictionary.entries.map(\.value))
                case .stream(let stream): stack.append(contentsOf: stream.dictionary.entries.map(\.value))
                default: break
                }
            }
        }
        // Of the trailer, only the keys a reader follows (§7.5.5 Table 15); writers
        // park private references there (LibreOffice's /AdditionalStreams, say).
        for revision in revisions[...index] {
            for key in ["Root", "Info", "Encrypt"] { if let value = revision.trailer[key] { collect(value) } }
        }
        // Grouped by object stream so that one decoded stream is held at a time.
        var compressed: [Int: [(number: Int, slot: Int)]] = [:]
        for (number, entry) in entries {
            switch entry {
            case .free:
                continue
            case .inUse(let offset, _):
                guard offset >= 0, offset < data.count else {
                    throw PDFError(.xref, "cross-reference offset points outside the file", object: number, offset: offset)
                }
                let value = try data.withUnsafeBytes { buffer in
                    var parser = ObjectParser(buffer, position: offset, tolerant: false, maxDepth: options.maxDepth)
                    _ = try parser.parseObjectHeader()
                    return try parser.parseObject()
                }
                collect(value)
            case .compressed(let streamNumber, let slot):
                compressed[streamNumber, default: []].append((number, slot))
            }
        }
        for (streamNumber, members) in compressed {
            guard case .stream(let stream) = try object(ObjectRef(number: streamNumber, generation: 0),
                                                        entries: entries, depth: 1) else {
                throw PDFError(.xref, "object stream \(streamNumber) is missing or not a stream", object: streamNumber)
            }
            let objectStream = try ObjectStreamIndex(stream: stream, number: streamNumber, options: options)
            // Slots looked up once: a hostile cross-reference stream may give every member a wrong index.
            var slots: [Int: Int] = [:]
            for (slot, member) in objectStream.members.enumerated() where slots[member.number] == nil {
                slots[member.number] = slot
            }
            for member in members {
                guard let slot = slots[member.number] else {
                    throw PDFError(.xref, "object \(member.number) is not in object stream \(streamNumber)",
                                   object: member.number)
                }
                collect(try objectStream.object(ObjectRef(number: member.number, generation: 0), index: slot,
                                                options: options))
            }
        }
        return found
    }

    private func object(_ reference: ObjectRef, entries: [Int: XRefEntry], depth: Int,
                        cache: ObjectStreamCache? = nil, streamData: Bool = true) throws -> PDFObject {
        guard depth < PDFDocument.maxResolutionDepth else {
            throw PDFError(.limit, "references nest too deeply (a reference cycle?)", object: reference.number)
        }
        switch entries[reference.number] {
        case nil, .free?:
            return .null
        case .inUse(let offset, let generation)?:
            guard generation == reference.generation else { return .null }
            guard offset >= 0, offset < data.count else {
                throw PDFError(.xref, "cross-reference offset points outside the file", object: reference.number,
                               offset: offset)
            }
            let (found, object) = try data.withUnsafeBytes { buffer in
                var parser = ObjectParser(buffer, position: offset, tolerant: false, maxDepth: options.maxDepth,
                                          lengthResolver: { lengthReference in
                                              try self.object(lengthReference, entries: entries, depth: depth + 1).intValue
                                          })
                parser.keepsStreamData = streamData
                return try parser.parseIndirectObject()
            }
            guard found == reference else {
                throw PDFError(.xref, "the cross-reference entry for \(reference) points at object \(found.number) \(found.generation)",
                               object: reference.number, offset: offset)
            }
            if !streamData, case .stream(let stream) = object {
                let dictionary = try decryptLoaded(.dictionary(stream.dictionary), reference: reference).dictionaryValue
                return .stream(PDFStream(dictionary: dictionary ?? stream.dictionary, data: Data()))
            }
            return try decryptLoaded(object, reference: reference)
        case .compressed(let streamNumber, let index)?:
            guard reference.generation == 0 else { return .null }
            if case .compressed? = entries[streamNumber] {
                throw PDFError(.xref, "an object stream cannot itself be stored in an object stream", object: streamNumber)
            }
            if let cached = cache?.streams[streamNumber] {
                return try cached.object(reference, index: index, options: options)
            }
            guard case .stream(let stream) = try object(ObjectRef(number: streamNumber, generation: 0), entries: entries,
                                                        depth: depth + 1) else {
                throw PDFError(.xref, "object stream \(streamNumber) is missing or not a stream", object: streamNumber)
            }
            let objectStream = try ObjectStreamIndex(stream: stream, number: streamNumber, options: options)
            cache?.store(objectStream)
            return try objectStream.object(reference, index: index, options: options)
        }
    }
}

/// Decoded object streams of one state of a file (§7.5.7), for
/// ``PDFDocument/object(_:in:cache:)``. Bounded: past 64 MB of decoded data it
/// starts over, so a file full of large object streams cannot exhaust memory.
/// Use one cache per set of entries, from one thread.
public final class ObjectStreamCache {
    fileprivate var streams: [Int: ObjectStreamIndex] = [:]
    private var bytes = 0
    private static let limit = 64 << 20

    public init() {}

    fileprivate func store(_ stream: ObjectStreamIndex) {
        if bytes + stream.data.count > ObjectStreamCache.limit {
            streams.removeAll()
            bytes = 0
        }
        streams[stream.number] = stream
        bytes += stream.data.count
    }
}
