extension PDFDocument {
    /// The pages in document order (ISO 32000-2 §7.7.3 page tree), with
    /// inherited attributes applied. The walk is iterative and visits every
    /// node once: a page tree that loops is an error in strict mode, and the
    /// repeated branch is skipped in tolerant mode.
    public var pages: [Page] {
        get throws {
            if let cached = caches.withLock({ $0.pages }) { return cached }
            let pages = try walkPageTree(tolerant: options.mode == .tolerant)
            caches.withLock { $0.pages = pages }
            return pages
        }
    }

    /// The page count from the walk (not from `/Count`, which files get wrong).
    public var pageCount: Int {
        get throws { try pages.count }
    }

    private struct Inherited {
        var mediaBox: PDFRectangle?
        var cropBox: PDFRectangle?
        var rotate: Int?
        var resources: PDFDictionary?
    }

    private static let maxPageTreeNodes = 2_000_000

    /// True if the page tree reads without the tolerant walk's repairs (no
    /// cycle, every node a dictionary, every kid an indirect reference).
    var pageTreeIsWellFormed: Bool {
        (try? walkPageTree(tolerant: false)) != nil
    }

    func walkPageTree(tolerant: Bool) throws -> [Page] {
        guard let catalog, let root = catalog["Pages"]?.referenceValue else {
            throw PDFError(.malformed, "the catalog has no /Pages reference")
        }
        var pages: [Page] = []
        var visited: Set<ObjectRef> = []
        var stack: [(ObjectRef, Inherited)] = [(root, Inherited())]
        while let (reference, inherited) = stack.popLast() {
            guard visited.insert(reference).inserted else {
                if tolerant { continue }
                throw PDFError(.malformed, "the page tree contains a cycle", object: reference.number)
            }
            guard visited.count <= PDFDocument.maxPageTreeNodes else {
                throw PDFError(.limit, "the page tree has too many nodes")
            }
            let node: PDFDictionary
            do {
                guard let dictionary = try resolve(reference).dictionaryValue else {
                    if tolerant { continue }
                    throw PDFError(.malformed, "a page tree node is not a dictionary", object: reference.number)
                }
                node = dictionary
            } catch let error as PDFError where tolerant && error.code != .limit {
                continue
            }
            var attributes = inherited
            if let box = PDFRectangle(try? resolve(node["MediaBox"] ?? .null)) { attributes.mediaBox = box }
            if let box = PDFRectangle(try? resolve(node["CropBox"] ?? .null)) { attributes.cropBox = box }
            if let rotate = (try? resolve(node["Rotate"] ?? .null))?.intValue { attributes.rotate = rotate }
            if let resources = try? dictionary(node["Resources"]) { attributes.resources = resources }

            let type = node.name("Type")
            let kids = try? array(node["Kids"])
            if type == "Pages" || (type != "Page" && kids != nil) {
                guard let kids else {
                    if tolerant { continue }
                    throw PDFError(.malformed, "a /Pages node has no /Kids array", object: reference.number)
                }
                for kid in kids.reversed() {
                    guard let kidReference = kid.referenceValue else {
                        if tolerant { continue }
                        throw PDFError(.malformed, "a /Kids entry is not an indirect reference", object: reference.number)
                    }
                    stack.append((kidReference, attributes))
                }
            } else {
                if type != "Page" && !tolerant {
                    throw PDFError(.malformed, "a page tree leaf is not /Type /Page", object: reference.number)
                }
                let mediaBox = attributes.mediaBox ?? PDFRectangle(llx: 0, lly: 0, urx: 612, ury: 792)
                let cropBox = attributes.cropBox.flatMap { $0.intersection(mediaBox) } ?? mediaBox
                let rotation = attributes.rotate ?? 0
                let quarterTurns = Int((Double(rotation) / 90).rounded())
                let rotate = ((quarterTurns % 4) + 4) % 4 * 90
                pages.append(Page(index: pages.count, ref: reference, dictionary: node, mediaBox: mediaBox,
                                  cropBox: cropBox, rotate: rotate, resources: attributes.resources))
            }
        }
        return pages
    }
}
