import Foundation

/// A PDF file opened for reading (ISO 32000-2 §7.5 file structure).
///
/// Loading reads only the header and the cross-reference chain; objects are
/// parsed on demand by ``resolve(_:)-(ObjectRef)`` and cached. The document
/// is immutable after `init`; its caches are guarded by a lock, so one
/// document can be shared between threads.
public final class PDFDocument: @unchecked Sendable {
    /// The file's bytes, exactly as given.
    public let data: Data
    public let options: ReadOptions
    /// Byte offset of `%PDF-` (0 unless tolerant reading found junk before it).
    public let headerOffset: Int
    /// The version in the header, e.g. `"1.7"`.
    public let headerVersion: String
    /// The newest trailer (for a cross-reference stream, its dictionary).
    public let trailer: PDFDictionary
    /// Every cross-reference section of the `/Prev` chain, oldest first
    /// (empty when tolerant reading had to rebuild the cross-reference data).
    public let revisions: [Revision]
    /// The merged cross-reference entries: the newest definition of each object.
    public let xref: [Int: XRefEntry]
    /// The offset the last `startxref` gives (`nil` when the data was rebuilt).
    public let startxref: Int?
    /// True when tolerant reading rebuilt the cross-reference data by scanning.
    public let wasRepaired: Bool
    /// The standard security handler of an encrypted document (set during `init`).
    public internal(set) var securityHandler: StandardSecurityHandler?
    /// The `/Encrypt` dictionary as stored (its strings are never encrypted).
    public internal(set) var encryptionDictionary: PDFDictionary?
    /// The `/Encrypt` reference, whose object is exempt from decryption.
    let encryptReference: ObjectRef?
    /// `/EncryptMetadata` (§7.6.4 Table 21); metadata streams stay in clear when false.
    var encryptMetadata = true

    struct Caches {
        var objects: [ObjectRef: PDFObject] = [:]
        var objectStreams: [Int: ObjectStreamIndex] = [:]
        var repairIndex: [Int: (offset: Int, generation: Int)]?
        var pages: [Page]?
        var signatureFields: [SignatureField]?
    }
    let caches = Protected(Caches())

    /// Deepest chain of nested resolutions (a `/Length` inside an object
    /// stream, say) before the reader assumes a reference cycle.
    static let maxResolutionDepth = 24

    public convenience init(contentsOf url: URL, options: ReadOptions = .strict) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw PDFError(.notPDF, "the file could not be read: \(error.localizedDescription)")
        }
        try self.init(data: data, options: options)
    }

    public init(data: Data, options: ReadOptions = .strict) throws {
        // Offsets count from 0, so a slice of a larger Data is re-based once.
        let data = data.startIndex == 0 ? data : Data(data)
        self.data = data
        self.options = options
        let loaded = try data.withUnsafeBytes { try DocumentLoader(bytes: $0, options: options).load() }
        headerOffset = loaded.headerOffset
        headerVersion = loaded.headerVersion
        trailer = loaded.trailer
        revisions = loaded.revisions
        xref = loaded.entries
        startxref = loaded.startxref
        wasRepaired = loaded.repaired
        encryptReference = loaded.trailer["Encrypt"]?.referenceValue
        if isEncrypted {
            try setUpEncryption()
            caches.withLock { $0 = Caches() }
        }
        // A strict reader says why the catalog cannot be read (an ambiguous object stream, say).
        if options.mode == .strict, let root = trailer["Root"] { _ = try resolve(root) }
        guard catalog != nil else {
            throw PDFError(.malformed, "the document catalog (/Root) is missing or not a dictionary")
        }
    }

    /// True if the trailer names an `/Encrypt` dictionary (a null value is an absent key, §7.3.9).
    public var isEncrypted: Bool { trailer["Encrypt"].map { !$0.isNull } ?? false }

    /// The document catalog (§7.7.2), or `nil` if `/Root` does not resolve to a dictionary.
    public var catalog: PDFDictionary? {
        guard let root = trailer["Root"] else { return nil }
        return (try? resolve(root))?.dictionaryValue
    }

    /// The catalog's reference.
    public var catalogReference: ObjectRef? { trailer["Root"]?.referenceValue }

    /// The document information dictionary (§14.3.3), if any.
    public var info: PDFDictionary? {
        guard let value = trailer["Info"] else { return nil }
        return (try? resolve(value))?.dictionaryValue
    }

    /// The effective version: the later of the header's and the catalog's `/Version` (§7.7.2).
    public var version: String {
        guard let catalogVersion = catalog?.name("Version"),
              PDFDocument.compareVersions(catalogVersion, headerVersion) > 0 else { return headerVersion }
        return catalogVersion
    }

    /// `/Size` of the newest trailer: one more than the highest object number in use.
    public var size: Int {
        max(trailer.int("Size") ?? 0, (xref.keys.max() ?? 0) + 1)
    }

    static func compareVersions(_ lhs: String, _ rhs: String) -> Int {
        let left = lhs.split(separator: ".").map { Int($0) ?? 0 }
        let right = rhs.split(separator: ".").map { Int($0) ?? 0 }
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? left[index] : 0
            let b = index < right.count ? right[index] : 0
            if a != b { return a < b ? -1 : 1 }
        }
        return 0
    }

    // MARK: - Resolving objects

    /// The object `reference` points to (§7.3.10): `.null` for a free or
    /// undefined object. Parsed once, then cached.
    public func resolve(_ reference: ObjectRef) throws -> PDFObject {
        try resolve(reference, depth: 0)
    }

    /// Follows `object` if it is a reference; returns it unchanged otherwise.
    public func resolve(_ object: PDFObject) throws -> PDFObject {
        if case .reference(let reference) = object { return try resolve(reference, depth: 0) }
        return object
    }

    /// Like ``resolve(_:)-(ObjectRef)`` but `nil` instead of an error or a null object.
    public func object(_ reference: ObjectRef) -> PDFObject? {
        guard let object = try? resolve(reference), !object.isNull else { return nil }
        return object
    }

    /// Resolves `object` and returns its dictionary (a stream's dictionary included).
    public func dictionary(_ object: PDFObject?) throws -> PDFDictionary? {
        guard let object else { return nil }
        return try resolve(object).dictionaryLike
    }

    /// Resolves `object` and returns its array.
    public func array(_ object: PDFObject?) throws -> [PDFObject]? {
        guard let object else { return nil }
        return try resolve(object).arrayValue
    }

    func resolve(_ reference: ObjectRef, depth: Int) throws -> PDFObject {
        if let cached = caches.withLock({ $0.objects[reference] }) { return cached }
        guard depth < PDFDocument.maxResolutionDepth else {
            throw PDFError(.limit, "references nest too deeply (a reference cycle?)", object: reference.number)
        }
        let object = try load(reference, depth: depth)
        caches.withLock { $0.objects[reference] = object }
        return object
    }

    private var tolerant: Bool { options.mode == .tolerant }

    private func load(_ reference: ObjectRef, depth: Int) throws -> PDFObject {
        guard let entry = xref[reference.number] else {
            if tolerant, let location = repairIndex()[reference.number], location.generation == reference.generation,
               let object = try? loadDirect(reference, at: location.offset, depth: depth) {
                return object
            }
            return .null
        }
        switch entry {
        case .free:
            return .null
        case .inUse(let offset, let generation):
            guard generation == reference.generation else { return .null }
            do {
                return try loadDirect(reference, at: offset, depth: depth)
            } catch let error as PDFError {
                guard tolerant else { throw error }
                if let location = repairIndex()[reference.number], location.offset != offset,
                   location.generation == reference.generation,
                   let object = try? loadDirect(reference, at: location.offset, depth: depth) {
                    return object
                }
                if error.code == .limit { throw error }
                return .null
            }
        case .compressed(let streamNumber, let index):
            guard reference.generation == 0 else { return .null }
            do {
                let stream = try objectStream(streamNumber, depth: depth)
                return try stream.object(reference, index: index, options: options)
            } catch let error as PDFError {
                guard tolerant else { throw error }
                if error.code == .limit { throw error }
                return .null
            }
        }
    }

    /// Parses the indirect object at `offset` and checks its header names `reference`.
    func loadDirect(_ reference: ObjectRef, at offset: Int, depth: Int) throws -> PDFObject {
        guard offset >= 0, offset < data.count else {
            throw PDFError(.xref, "cross-reference offset points outside the file", object: reference.number,
                           offset: offset)
        }
        let (found, object) = try data.withUnsafeBytes { buffer in
            var parser = ObjectParser(buffer, position: offset, tolerant: tolerant, maxDepth: options.maxDepth,
                                      lengthResolver: { lengthReference in
                                          try self.resolve(lengthReference, depth: depth + 1).intValue
                                      })
            return try parser.parseIndirectObject()
        }
        guard found == reference else {
            throw PDFError(.xref, "the cross-reference entry for \(reference) points at object \(found.number) \(found.generation)",
                           object: reference.number, offset: offset)
        }
        return try decryptLoaded(object, reference: reference)
    }

    /// The decoded object stream `number` (§7.5.7), cached.
    func objectStream(_ number: Int, depth: Int) throws -> ObjectStreamIndex {
        if let cached = caches.withLock({ $0.objectStreams[number] }) { return cached }
        let reference = ObjectRef(number: number, generation: 0)
        if case .compressed? = xref[number] {
            throw PDFError(.xref, "an object stream cannot itself be stored in an object stream", object: number)
        }
        guard case .stream(let stream) = try resolve(reference, depth: depth + 1) else {
            throw PDFError(.xref, "object stream \(number) is missing or not a stream", object: number)
        }
        if !tolerant && stream.dictionary.name("Type") != "ObjStm" {
            throw PDFError(.malformed, "object stream lacks /Type /ObjStm", object: number)
        }
        let index = try ObjectStreamIndex(stream: stream, number: number, options: options)
        caches.withLock { $0.objectStreams[number] = index }
        return index
    }

    /// Object locations found by scanning the file (tolerant mode fallback), cached.
    private func repairIndex() -> [Int: (offset: Int, generation: Int)] {
        if let index = caches.withLock({ $0.repairIndex }) { return index }
        let index = data.withUnsafeBytes { XRefScanner(bytes: $0, options: options).scanObjects() }
        caches.withLock { $0.repairIndex = index }
        return index
    }
}
