import Foundation
import Hashing

/// Rewrites an unsigned document as one fresh revision (ISO 32000-2 §7.5):
/// only the objects reachable from the trailer's `/Root` and `/Info`,
/// renumbered densely in breadth-first order of discovery, one classic
/// cross-reference table, a new `/ID`, no encryption.
///
/// Whatever earlier revisions or unreferenced objects held (the "shadow"
/// content of shadow attacks) is gone from the output. Stream data is copied
/// as stored, with its filters, except that data which was encrypted is
/// written decrypted (and a `/Crypt` filter is dropped).
public enum PDFRewriter {
    /// Catalog keys of ISO 32000-2 Table 29 kept by a rewrite; `/DSS`, `/Perms`
    /// (signatures the rewrite drops) and private keys are not.
    static let keptCatalogKeys: Set<String> = [
        "Type", "Version", "Extensions", "Pages", "PageLabels", "Names", "Dests", "ViewerPreferences",
        "PageLayout", "PageMode", "Outlines", "Threads", "OpenAction", "AA", "URI", "AcroForm", "Metadata",
        "StructTreeRoot", "MarkInfo", "Lang", "SpiderInfo", "OutputIntents", "PieceInfo", "OCProperties",
        "Requirements", "Collection", "NeedsRendering", "AF", "DPartRoot",
    ]

    public static func rewrite(_ document: PDFDocument) throws -> Data {
        guard let root = document.trailer["Root"]?.referenceValue else {
            throw PDFError(.write, "the trailer has no indirect /Root to rewrite from")
        }
        var roots = [root]
        let infoReference = document.trailer["Info"]?.referenceValue
        if let infoReference, (try? document.resolve(infoReference))?.dictionaryValue != nil {
            roots.append(infoReference)
        }

        // A page tree that needed repair (a cycle, say) is replaced by a flat
        // one holding the pages the tolerant walk found, attributes made explicit.
        var overrides: [ObjectRef: PDFObject] = [:]
        if !document.pageTreeIsWellFormed {
            overrides = try flatPageTree(document, root: root)
        }
        // Only the catalog entries ISO 32000-2 §7.7.2 defines and segel keeps
        // meaning for: a /DSS (or /Perms) planted in unsigned input would later
        // pass for validation data of segel's own signature.
        if var catalog = try (overrides[root] ?? document.resolve(root)).dictionaryValue {
            for key in catalog.keys where !PDFRewriter.keptCatalogKeys.contains(key) { catalog[key] = nil }
            overrides[root] = .dictionary(catalog)
        }
        func lookup(_ reference: ObjectRef) throws -> PDFObject {
            if let override = overrides[reference] { return override }
            return try document.resolve(reference)
        }

        // Breadth-first discovery assigns the new numbers.
        var numbering: [ObjectRef: Int] = [:]
        var order: [ObjectRef] = []
        var objects: [PDFObject] = []
        var queue = roots
        var head = 0
        for reference in roots where numbering[reference] == nil {
            numbering[reference] = numbering.count + 1
        }
        while head < queue.count {
            let reference = queue[head]
            head += 1
            let object = try lookup(reference)
            order.append(reference)
            objects.append(object)
            forEachReference(in: object) { target in
                guard numbering[target] == nil,
                      overrides[target] != nil || isWritable(target, in: document) else { return }
                numbering[target] = numbering.count + 1
                queue.append(target)
            }
        }

        var output: [UInt8] = []
        output.reserveCapacity(document.data.count + 1024)
        let version = PDFDocument.compareVersions(document.version, "1.7") > 0 ? document.version : "1.7"
        output.append(contentsOf: Array("%PDF-\(version)\n%".utf8))
        output.append(contentsOf: [0xE2, 0xE3, 0xCF, 0xD3, 0x0A])
        let bodyStart = output.count
        var offsets: [Int] = []
        offsets.reserveCapacity(order.count)
        for (index, object) in objects.enumerated() {
            offsets.append(output.count)
            let renumbered = renumber(object, numbering: numbering, decrypted: document.isEncrypted)
            PDFObject.writeIndirect(renumbered, reference: ObjectRef(number: index + 1), into: &output)
        }
        let identifier = output.withUnsafeBytes { Digest.sha256(UnsafeRawBufferPointer(rebasing: $0[bodyStart...])) }
            .prefix(16)
        let xrefOffset = output.count
        output.append(contentsOf: Array("xref\n0 \(order.count + 1)\n0000000000 65535 f \n".utf8))
        for offset in offsets {
            output.append(contentsOf: Array(XRefWriter.tableEntry(offset: offset, generation: 0).utf8))
        }
        var trailer: PDFDictionary = [
            "Size": .integer(order.count + 1),
            "Root": .reference(ObjectRef(number: numbering[root]!)),
        ]
        if let infoReference, let number = numbering[infoReference] {
            trailer["Info"] = .reference(ObjectRef(number: number))
        }
        let id = PDFObject.string(PDFString(bytes: Data(identifier), wasHex: true))
        trailer["ID"] = .array([id, id])
        output.append(contentsOf: Array("trailer\n".utf8))
        PDFObject.dictionary(trailer).write(into: &output)
        output.append(contentsOf: Array("\nstartxref\n\(xrefOffset)\n%%EOF\n".utf8))
        return Data(output)
    }

    /// Replacement objects for a flat page tree: a new `/Pages` node (numbered
    /// after the document's objects), each page pointing at it with its
    /// inherited attributes (§7.7.3.4) copied in, and the catalog pointing at it.
    private static func flatPageTree(_ document: PDFDocument, root: ObjectRef) throws -> [ObjectRef: PDFObject] {
        guard var catalog = try document.resolve(root).dictionaryValue else { return [:] }
        let pages = try document.walkPageTree(tolerant: true)
        let node = ObjectRef(number: document.size)
        var overrides: [ObjectRef: PDFObject] = [:]
        for page in pages {
            var dictionary = page.dictionary
            dictionary["Type"] = .name("Page")
            dictionary["Parent"] = .reference(node)
            dictionary["MediaBox"] = page.mediaBox.object
            if dictionary["CropBox"] == nil, page.cropBox != page.mediaBox { dictionary["CropBox"] = page.cropBox.object }
            if dictionary["Rotate"] == nil, page.rotate != 0 { dictionary["Rotate"] = .integer(page.rotate) }
            if dictionary["Resources"] == nil, let resources = page.resources {
                dictionary["Resources"] = .dictionary(resources)
            }
            overrides[page.ref] = .dictionary(dictionary)
        }
        overrides[node] = .dictionary([
            "Type": .name("Pages"),
            "Kids": .array(pages.map { .reference($0.ref) }),
            "Count": .integer(pages.count),
        ])
        catalog["Pages"] = .reference(node)
        overrides[root] = .dictionary(catalog)
        return overrides
    }

    /// Objects that are not carried into the new file: free or missing ones
    /// (their references become null) and the structures of the old file's
    /// storage (encryption dictionary, cross-reference and object streams).
    private static func isWritable(_ reference: ObjectRef, in document: PDFDocument) -> Bool {
        if reference == document.encryptReference { return false }
        guard let object = try? document.resolve(reference), !object.isNull else { return false }
        if case .stream(let stream) = object, let type = stream.dictionary.name("Type"),
           type == "XRef" || type == "ObjStm" {
            return false
        }
        return true
    }

    /// Calls `body` for every reference inside `object` (depth is bounded by the parser's limit).
    static func forEachReference(in object: PDFObject, _ body: (ObjectRef) -> Void) {
        switch object {
        case .reference(let reference): body(reference)
        case .array(let elements): for element in elements { forEachReference(in: element, body) }
        case .dictionary(let dictionary): for entry in dictionary { forEachReference(in: entry.value, body) }
        case .stream(let stream): for entry in stream.dictionary { forEachReference(in: entry.value, body) }
        default: break
        }
    }

    private static func renumber(_ object: PDFObject, numbering: [ObjectRef: Int], decrypted: Bool) -> PDFObject {
        switch object {
        case .reference(let reference):
            guard let number = numbering[reference] else { return .null }
            return .reference(ObjectRef(number: number))
        case .array(let elements):
            return .array(elements.map { renumber($0, numbering: numbering, decrypted: decrypted) })
        case .dictionary(let dictionary):
            return .dictionary(renumber(dictionary, numbering: numbering, decrypted: decrypted))
        case .stream(let stream):
            var dictionary = renumber(stream.dictionary, numbering: numbering, decrypted: decrypted)
            if decrypted { dictionary = removingCryptFilter(dictionary) }
            return .stream(PDFStream(dictionary: dictionary, data: stream.data))
        default:
            return object
        }
    }

    private static func renumber(_ dictionary: PDFDictionary, numbering: [ObjectRef: Int],
                                 decrypted: Bool) -> PDFDictionary {
        dictionary.mapValues { _, value in renumber(value, numbering: numbering, decrypted: decrypted) }
    }

    /// §7.4.10: the `/Crypt` filter only means something in an encrypted file.
    static func removingCryptFilter(_ dictionary: PDFDictionary) -> PDFDictionary {
        let stream = PDFStream(dictionary: dictionary, data: Data())
        guard let index = stream.filters.firstIndex(of: "Crypt") else { return dictionary }
        var filters = stream.filters
        var parameters = stream.decodeParameters
        filters.remove(at: index)
        parameters.remove(at: index)
        var result = dictionary
        result["DP"] = nil
        if filters.isEmpty {
            result["Filter"] = nil
            result["DecodeParms"] = nil
        } else {
            result["Filter"] = .array(filters.map { .name($0) })
            result["DecodeParms"] = parameters.allSatisfy({ $0 == nil })
                ? nil : .array(parameters.map { $0.map(PDFObject.dictionary) ?? .null })
        }
        return result
    }
}
