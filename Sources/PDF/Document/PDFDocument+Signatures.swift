import Foundation

extension PDFDocument {
    /// The signature fields of `/AcroForm /Fields` (ISO 32000-2 §12.7.3,
    /// §12.7.5.5), found by an iterative walk of `/Kids` that visits each
    /// field once (so reference loops terminate).
    public var signatureFields: [SignatureField] {
        get throws {
            if let cached = caches.withLock({ $0.signatureFields }) { return cached }
            let fields = try walkSignatureFields()
            caches.withLock { $0.signatureFields = fields }
            return fields
        }
    }

    /// True if any signature field carries a signature value.
    public var hasSignatures: Bool {
        get throws { try signatureFields.contains { $0.isSigned } }
    }

    /// The DocMDP permission of a certified document (§12.8.2.2 Table 257):
    /// `/P` of the DocMDP transform of the signature that `/Perms /DocMDP`
    /// names (2 when `/P` is absent); `nil` for a document that is not certified.
    public var docMDPPermission: Int? {
        get throws {
            guard let perms = try dictionary(catalog?["Perms"]),
                  let signature = try dictionary(perms["DocMDP"]) else { return nil }
            for reference in try array(signature["Reference"]) ?? [] {
                guard let transform = try dictionary(reference),
                      (transform.name("TransformMethod") ?? "DocMDP") == "DocMDP" else { continue }
                let parameters = try dictionary(transform["TransformParams"])
                guard let value = try parameters.flatMap({ try resolve($0["P"] ?? .null).intValue }) else { return 2 }
                return (1...3).contains(value) ? value : 2
            }
            return 2
        }
    }

    private static let maxFieldNodes = 100_000

    private func walkSignatureFields() throws -> [SignatureField] {
        let tolerant = options.mode == .tolerant
        guard let form = try dictionary(catalog?["AcroForm"]), let roots = try array(form["Fields"]) else {
            return []
        }
        struct Node {
            var object: PDFObject
            var parentName: String?
            var fieldType: String?
        }
        var fields: [SignatureField] = []
        var visited: Set<ObjectRef> = []
        var stack = roots.reversed().map { Node(object: $0, parentName: nil, fieldType: nil) }
        var count = 0
        while let node = stack.popLast() {
            count += 1
            guard count <= PDFDocument.maxFieldNodes else { throw PDFError(.limit, "the form has too many fields") }
            let reference = node.object.referenceValue
            if let reference, !visited.insert(reference).inserted { continue }
            let field: PDFDictionary
            do {
                guard let dictionary = try dictionary(node.object) else { continue }
                field = dictionary
            } catch let error as PDFError where tolerant && error.code != .limit {
                continue
            }
            let partial = field["T"]?.textValue
            let name: String? = switch (node.parentName, partial) {
            case let (parent?, partial?): parent + "." + partial
            case let (nil, partial?): partial
            case let (parent?, nil): parent
            case (nil, nil): nil
            }
            let fieldType = field.name("FT") ?? node.fieldType
            var childFields: [PDFObject] = []
            var widgets: [ObjectRef] = []
            for kid in try array(field["Kids"]) ?? [] {
                guard let kidDictionary = try? dictionary(kid) else { continue }
                if kidDictionary["T"] != nil || kidDictionary["Kids"] != nil {
                    childFields.append(kid)
                } else if let kidReference = kid.referenceValue {
                    widgets.append(kidReference)
                }
            }
            if !childFields.isEmpty {
                for child in childFields.reversed() {
                    stack.append(Node(object: child, parentName: name, fieldType: fieldType))
                }
                continue
            }
            guard fieldType == "Sig" else { continue }
            if widgets.isEmpty, field.name("Subtype") == "Widget" || field["Rect"] != nil, let reference {
                widgets = [reference]
            }
            var signature: SignatureDictionary?
            let value = field["V"]
            if let value, let dictionary = try self.dictionary(value) {
                signature = try signatureDictionary(dictionary, reference: value.referenceValue)
            }
            fields.append(SignatureField(name: name ?? "", fieldRef: reference, widgetRefs: widgets,
                                         signatureRef: value?.referenceValue, signature: signature))
        }
        return fields
    }

    /// Parses a signature dictionary and, when it is stored directly in the
    /// file, locates its `/Contents` and `/ByteRange` values byte for byte.
    public func signatureDictionary(_ dictionary: PDFDictionary, reference: ObjectRef?) throws -> SignatureDictionary {
        var byteRange: [Int]?
        if let values = try array(dictionary["ByteRange"]) {
            let integers = values.compactMap { value -> Int? in
                if case .integer(let integer) = value { return integer }
                return nil
            }
            if integers.count == values.count { byteRange = integers }
        }
        let contents = dictionary["Contents"]?.stringValue
        var contentsRange: Range<Int>?
        var byteRangeRange: Range<Int>?
        if let reference, case .inUse(let offset, _)? = xref[reference.number] {
            let ranges = try? data.withUnsafeBytes { buffer in
                var parser = ObjectParser(buffer, position: offset, tolerant: options.mode == .tolerant,
                                          maxDepth: options.maxDepth)
                return try parser.topLevelValueRanges()
            }
            contentsRange = ranges?["Contents"]
            byteRangeRange = ranges?["ByteRange"]
        }
        func text(_ key: String) -> String? { dictionary[key]?.textValue }
        return SignatureDictionary(
            dictionary: dictionary, type: dictionary.name("Type"), filter: dictionary.name("Filter"),
            subFilter: dictionary.name("SubFilter"), byteRange: byteRange, contents: contents?.bytes,
            contentsWasHex: contents?.wasHex ?? false, contentsRange: contentsRange, byteRangeRange: byteRangeRange,
            signingTime: text("M"), signerName: text("Name"), reason: text("Reason"), location: text("Location"),
            contactInfo: text("ContactInfo"))
    }
}
