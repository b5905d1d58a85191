import Foundation

extension PDFDocument {
    /// The text a viewer shows on `page` (ISO 32000-2 §9.4.3, §9.10): the
    /// strings its content stream, the form XObjects it paints and the normal
    /// appearances of its visible annotations (§12.5.5) show, decoded through
    /// each font's `/ToUnicode` or encoding. In content order, with a line
    /// break at each text line and a space at a wide `TJ` gap; no layout.
    ///
    /// `nil` when some shown code has no known Unicode meaning (see
    /// ``TextFont``): segel cannot say what that page reads.
    public func text(of page: Page) throws -> String? {
        var extractor = TextExtractor(document: self)
        extractor.run(try contentData(of: page), resources: page.resources, depth: 0)
        for annotation in (try array(page.dictionary["Annots"])) ?? [] {
            guard let annotation = try dictionary(annotation), let appearance = try visibleAppearance(of: annotation) else { continue }
            extractor.run(try appearance.decodedData(), resources: try dictionary(appearance.dictionary["Resources"]), depth: 1)
        }
        return extractor.undecodable ? nil : extractor.text
    }

    /// The page's content: its `/Contents` stream, or array of streams read as
    /// one (§7.8.2), decoded, each followed by a line break.
    func contentData(of page: Page) throws -> Data {
        let contents = try resolve(page.dictionary["Contents"] ?? .null)
        let streams: [PDFObject] = contents.arrayValue ?? [contents]
        var data = Data()
        for stream in streams {
            guard let stream = try resolve(stream).streamValue else { continue }
            data.append(try stream.decodedData())
            data.append(0x0A)
        }
        return data
    }

    /// §12.5.3, §12.5.5: the normal appearance (`/AP /N`, by `/AS` when it is a
    /// dictionary of states) unless the annotation is Hidden or NoView.
    private func visibleAppearance(of annotation: PDFDictionary) throws -> PDFStream? {
        let flags = (try resolve(annotation["F"] ?? .null)).intValue ?? 0
        guard flags & 0b10_0010 == 0, let appearances = try dictionary(annotation["AP"]) else { return nil }
        let normal = try resolve(appearances["N"] ?? .null)
        if let stream = normal.streamValue { return stream }
        guard let states = normal.dictionaryValue, let state = (try resolve(annotation["AS"] ?? .null)).nameValue else { return nil }
        return try resolve(states[state] ?? .null).streamValue
    }
}

/// Walks content streams (§8.2) for the text-showing operators (§9.4.3).
private struct TextExtractor {
    let document: PDFDocument
    var text = ""
    var undecodable = false
    private var fonts: [ObjectRef: TextFont?] = [:]
    /// Form XObjects nest at most this deep (§8.10; a cycle ends here too).
    private static let maxDepth = 12

    init(document: PDFDocument) {
        self.document = document
    }

    mutating func run(_ data: Data, resources: PDFDictionary?, depth: Int) {
        data.withUnsafeBytes { bytes in
            var scanner = ContentScanner(bytes)
            var operands: [PDFObject] = []
            var font: TextFont?
            while let name = scanner.nextOperator(operands: &operands) {
                switch name {
                case "Tf":
                    guard operands.count == 2, case .name(let key) = operands[0] else { continue }
                    font = self.font(named: key, in: resources)
                case "Tj":
                    show(operands.last, font)
                case "'", "\"":
                    text += "\n"
                    show(operands.last, font)
                case "TJ":
                    for element in operands.last?.arrayValue ?? [] {
                        if let gap = element.doubleValue {
                            if gap < -200 { text += " " }
                        } else {
                            show(element, font)
                        }
                    }
                case "T*", "ET":
                    text += "\n"
                case "Td", "TD":
                    if operands.count == 2, let ty = operands[1].doubleValue, ty != 0 { text += "\n" }
                case "Do":
                    guard depth < Self.maxDepth, case .name(let key)? = operands.last,
                          let xobjects = try? document.dictionary(resources?["XObject"]),
                          let form = (try? document.resolve(xobjects[key] ?? .null))?.streamValue,
                          form.dictionary.name("Subtype") == "Form", let data = try? form.decodedData() else { continue }
                    let formResources = (try? document.dictionary(form.dictionary["Resources"])) ?? resources
                    run(data, resources: formResources, depth: depth + 1)
                default:
                    continue
                }
            }
        }
    }

    private mutating func show(_ operand: PDFObject?, _ font: TextFont?) {
        guard case .string(let string)? = operand else { return }
        guard let font, let shown = font.decode(string.bytes) else {
            if !string.bytes.isEmpty { undecodable = true }
            return
        }
        text += shown
    }

    private mutating func font(named key: String, in resources: PDFDictionary?) -> TextFont? {
        guard let fontResources = try? document.dictionary(resources?["Font"]), let entry = fontResources[key] else { return nil }
        if let reference = entry.referenceValue, let known = fonts[reference] { return known }
        let font = (try? document.dictionary(entry)).flatMap { TextFont($0, in: document) }
        if let reference = entry.referenceValue { fonts[reference] = font }
        return font
    }
}
