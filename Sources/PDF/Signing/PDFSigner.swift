import Foundation

/// Prepares a PDF for a PAdES signature (ISO 32000-2 §12.8, ETSI EN 319 142-1):
/// the signature dictionary with a `/Contents` placeholder, the signature
/// field merged with its widget, the appearance form XObject, the page's
/// `/Annots`, the `/AcroForm` and — when the request carries validation data —
/// the `/DSS`, all in one incremental update, with
/// `/ByteRange` patched to cover everything except the `/Contents` string.
///
/// A file without signatures is first rewritten (``PDFRewriter``), which
/// drops earlier revisions and unreachable objects; a signed file is appended
/// to, so that its signatures stay valid.
public enum PDFSigner {
    /// Placeholder digits for `/ByteRange`; patched after writing, same width.
    private static let byteRangePlaceholder = 9_999_999_999

    /// `readable`: `input` already opened with `.tolerant` options by the
    /// caller (so the input is parsed once); opened here when nil.
    public static func prepare(_ input: Data, readable: PDFDocument? = nil,
                               request: SignatureRequest) throws -> PreparedSignature {
        guard request.contentsCapacity > 0, request.contentsCapacity <= 1 << 20 else {
            throw PDFError(.write, "the space reserved for the signature must be between 1 byte and 1 MB")
        }
        guard !request.fieldName.isEmpty else { throw PDFError(.write, "the signature field needs a name") }
        let base: Data
        let document: PDFDocument
        let readable = try readable ?? open(input, options: .tolerant)
        if try readable.hasSignatures {
            do {
                document = try PDFDocument(data: input, options: .strict)
            } catch let error as PDFError {
                throw PDFError(error.code, "the file carries signatures but is not well-formed enough to add one: \(error.message)",
                               object: error.object, offset: error.offset)
            }
            if try document.docMDPPermission == 1 {
                throw PDFError(.write, "the document is certified with no changes permitted")
            }
            base = input
        } else {
            base = try PDFRewriter.rewrite(readable)
            document = try PDFDocument(data: base, options: .strict)
        }
        return try placeholder(in: document, request: request)
    }

    private static func open(_ input: Data, options: ReadOptions) throws -> PDFDocument {
        do {
            return try PDFDocument(data: input, options: options)
        } catch let error as PDFError {
            switch error.code {
            case .passwordRequired:
                throw PDFError(.passwordRequired, "the file is protected by a password")
            case .unsupported, .limit:
                throw error
            default:
                throw PDFError(error.code, "the file cannot be parsed: \(error.message)", object: error.object,
                               offset: error.offset)
            }
        }
    }

    private static func placeholder(in document: PDFDocument, request: SignatureRequest) throws -> PreparedSignature {
        guard let catalogReference = document.catalogReference, var catalog = document.catalog else {
            throw PDFError(.write, "the document catalog is not an indirect dictionary")
        }
        let pages = try document.pages
        var update = try IncrementalUpdate(document: document)
        let page: Page
        if let appended = request.appendedPage {
            page = try appendPage(appended, after: pages.count, to: document, catalog: catalog, update: &update)
        } else {
            let pageIndex = request.appearance?.pageIndex ?? 0
            guard pages.indices.contains(pageIndex) else {
                throw PDFError(.write, "the document has no page \(pageIndex + 1)")
            }
            page = pages[pageIndex]
        }

        // The form, its existing fields, and a name clash check (§12.7.4.2).
        let formObject = catalog["AcroForm"]
        var form = try document.dictionary(formObject) ?? PDFDictionary()
        var fields = try document.array(form["Fields"]) ?? []
        // The new field and the empty ones reserved for later signers.
        let newNames = Set([request.fieldName] + request.reservedFields.map(\.name))
        for field in fields {
            if let existing = try document.dictionary(field)?["T"]?.textValue, newNames.contains(existing) {
                throw PDFError(.write, "the document already has a field named \(existing)")
            }
        }

        // §12.8.1 Table 255: the signature dictionary, placeholders first so
        // that the text strings after them cannot be mistaken for them.
        var signature: PDFDictionary = [
            "Type": .name(request.type),
            "Filter": .name("Adobe.PPKLite"),
            "SubFilter": .name(request.subFilter),
            "ByteRange": .array([.integer(0), .integer(byteRangePlaceholder), .integer(byteRangePlaceholder),
                                 .integer(byteRangePlaceholder)]),
            "Contents": .string(PDFString(bytes: Data(count: request.contentsCapacity), wasHex: true)),
        ]
        if request.type != "DocTimeStamp" {
            signature["M"] = .string(PDFString(text: PDFDate.string(from: request.signingTime)))
        }
        // §12.8.2.2: a certification signature names its DocMDP transform, and
        // the catalog's /Perms points at it; only the first signature may certify.
        if let permission = request.docMDPPermission {
            guard (1...3).contains(permission) else { throw PDFError(.write, "a DocMDP permission is 1, 2 or 3") }
            guard try !document.hasSignatures else {
                throw PDFError(.write, "only the first signature of a document can certify it")
            }
            signature["Reference"] = .array([.dictionary([
                "Type": .name("SigRef"),
                "TransformMethod": .name("DocMDP"),
                "TransformParams": .dictionary([
                    "Type": .name("TransformParams"), "P": .integer(permission), "V": .name("1.2"),
                ]),
            ])])
        }
        if let name = request.name { signature["Name"] = .text(name) }
        if let reason = request.reason { signature["Reason"] = .text(reason) }
        if let location = request.location { signature["Location"] = .text(location) }
        if let contact = request.contactInfo { signature["ContactInfo"] = .text(contact) }
        let signatureReference = update.add(.dictionary(signature))

        // §12.5.5 / §8.10: the appearance, a form XObject (empty for an invisible signature).
        let appearance = request.appearance
        var formDictionary: PDFDictionary = [
            "Type": .name("XObject"),
            "Subtype": .name("Form"),
            "BBox": .numbers(appearance?.bbox ?? [0, 0, 0, 0]),
        ]
        if let matrix = appearance?.matrix { formDictionary["Matrix"] = .numbers(matrix) }
        formDictionary["Resources"] = .dictionary(indirectFonts(appearance?.resources ?? PDFDictionary(), update: &update))
        var content = appearance?.content ?? Data()
        if !content.isEmpty {
            content = Flate.compress(content)
            formDictionary["Filter"] = .name("FlateDecode")
        }
        let appearanceReference = update.add(.stream(PDFStream(dictionary: formDictionary, data: content)))

        var catalogChanged = false
        if let fillName = request.fillField {
            // §12.8.1: signing an existing empty field sets its /V and appearance,
            // nothing else; the page and the form already list it.
            guard let field = try document.signatureFields.first(where: { $0.name == fillName }),
                  !field.isSigned, let fieldRef = field.fieldRef, field.widgetRefs == [fieldRef],
                  var fieldDictionary = try document.resolve(fieldRef).dictionaryValue else {
                throw PDFError(.write, "the document has no empty signature field named \(fillName) merged with its widget")
            }
            fieldDictionary["V"] = .reference(signatureReference)
            fieldDictionary["AP"] = .dictionary(["N": .reference(appearanceReference)])
            update.replace(fieldRef, with: .dictionary(fieldDictionary))
        } else {
            var widget = signatureWidget(name: request.fieldName, page: page, rect: appearance?.rect ?? [0, 0, 0, 0])
            widget["V"] = .reference(signatureReference)
            widget["AP"] = .dictionary(["N": .reference(appearanceReference)])
            let widgetReference = update.add(.dictionary(widget))

            // With /NeedAppearances true, poppler regenerates every widget's appearance,
            // signature widgets included, and draws an empty box where the stamp is.
            // A document that is being rewritten anyway (no earlier signature) also gets
            // the stamp painted into the page content, so every viewer shows it; the
            // flag itself stays, since the form's own fields may rely on it.
            var pageDictionary = page.dictionary
            var pageChanged = false
            if let appearance, form["NeedAppearances"]?.boolValue == true, try !document.hasSignatures {
                try paintOnPage(appearance, form: appearanceReference, page: page, into: &pageDictionary, update: &update)
                pageChanged = true
            }

            // Empty fields for the signers who follow, merged with their widgets.
            var widgetsByPage: [(page: Page, dictionary: PDFDictionary, changed: Bool, widgets: [ObjectRef])] =
                [(page, pageDictionary, pageChanged, [widgetReference])]
            var newFields = [PDFObject.reference(widgetReference)]
            for reserved in request.reservedFields {
                let target: Page
                if reserved.onAppendedPage {
                    target = page
                } else {
                    guard pages.indices.contains(reserved.pageIndex) else {
                        throw PDFError(.write, "the document has no page \(reserved.pageIndex + 1) for the field \(reserved.name)")
                    }
                    target = pages[reserved.pageIndex]
                }
                guard reserved.rect.count == 4, reserved.rect.allSatisfy(\.isFinite) else {
                    throw PDFError(.write, "the field \(reserved.name) needs a rectangle of four numbers")
                }
                let empty = update.add(.dictionary(signatureWidget(name: reserved.name, page: target, rect: reserved.rect)))
                newFields.append(.reference(empty))
                if let index = widgetsByPage.firstIndex(where: { $0.page.ref == target.ref }) {
                    widgetsByPage[index].widgets.append(empty)
                } else {
                    widgetsByPage.append((target, target.dictionary, false, [empty]))
                }
            }

            // Each page's /Annots: the array object if it is indirect, else the page.
            for var entry in widgetsByPage {
                let added = entry.widgets.map(PDFObject.reference)
                switch entry.dictionary["Annots"] {
                case .reference(let annotsReference)?:
                    if let annots = try document.resolve(annotsReference).arrayValue {
                        update.replace(annotsReference, with: .array(annots + added))
                        if entry.changed { update.replace(entry.page.ref, with: .dictionary(entry.dictionary)) }
                    } else {
                        entry.dictionary["Annots"] = .array(added)
                        update.replace(entry.page.ref, with: .dictionary(entry.dictionary))
                    }
                case .array(let annots)?:
                    entry.dictionary["Annots"] = .array(annots + added)
                    update.replace(entry.page.ref, with: .dictionary(entry.dictionary))
                default:
                    entry.dictionary["Annots"] = .array(added)
                    update.replace(entry.page.ref, with: .dictionary(entry.dictionary))
                }
            }

            // §12.7.3 Table 224: /Fields gains the new field, /SigFlags 3
            // (SignaturesExist + AppendOnly); /DR, /DA and the rest are kept.
            fields.append(contentsOf: newFields)
            form["Fields"] = .array(fields)
            form["SigFlags"] = .integer(3)
            if case .reference(let formReference)? = formObject, case .dictionary = try document.resolve(formReference) {
                update.replace(formReference, with: .dictionary(form))
            } else {
                catalog["AcroForm"] = .reference(update.add(.dictionary(form)))
                catalogChanged = true
            }


        }
        // ETSI EN 319 142-1 §5.2 / ISO 32000-2 §7.12: PAdES signatures in a file
        // before PDF 2.0 declare the ESIC developer extension.
        if request.subFilter == "ETSI.CAdES.detached", PDFDocument.compareVersions(document.version, "2.0") < 0 {
            var extensions = try document.dictionary(catalog["Extensions"]) ?? PDFDictionary()
            if extensions["ESIC"] == nil {
                extensions["ESIC"] = .dictionary(["BaseVersion": .name("1.7"), "ExtensionLevel": .integer(2)])
                catalog["Extensions"] = .dictionary(extensions)
                catalogChanged = true
            }
        }
        if request.docMDPPermission != nil {
            catalog["Perms"] = .dictionary(["DocMDP": .reference(signatureReference)])
            catalogChanged = true
        }
        if let validationData = request.validationData {
            try validationData.add(to: &update, catalog: &catalog, document: document)
            catalogChanged = true
        }
        if catalogChanged { update.replace(catalogReference, with: .dictionary(catalog)) }

        let layout = try update.writeWithLayout()
        guard let range = layout.objectRanges[signatureReference] else {
            throw PDFError(.write, "the signature dictionary was not written")
        }
        return try patchByteRange(layout.data, signatureObject: range, capacity: request.contentsCapacity)
    }

    /// §12.7.5.5 + §12.5.6.19: a signature field merged with its widget,
    /// without value or appearance yet; /F 132 = Print + Locked.
    private static func signatureWidget(name: String, page: Page, rect: [Double]) -> PDFDictionary {
        [
            "Type": .name("Annot"),
            "Subtype": .name("Widget"),
            "FT": .name("Sig"),
            "T": .text(name),
            "F": .integer(132),
            "P": .reference(page.ref),
            "Rect": .numbers(rect),
        ]
    }

    /// `resources` with each font dictionary written as an object of its own,
    /// as Acrobat writes them (poppler's `pdffonts` reports direct font
    /// dictionaries as a damaged cross-reference).
    static func indirectFonts(_ resources: PDFDictionary, update: inout IncrementalUpdate) -> PDFDictionary {
        guard case .dictionary(var fonts)? = resources["Font"] else { return resources }
        for entry in fonts {
            if case .dictionary = entry.value { fonts[entry.key] = .reference(update.add(entry.value)) }
        }
        var result = resources
        result["Font"] = .dictionary(fonts)
        return result
    }

    /// Adds `appended` as the last page: a new page object under the root of
    /// the page tree, whose `/Kids` and `/Count` grow by one (§7.7.3.2).
    private static func appendPage(_ appended: AppendedPage, after count: Int, to document: PDFDocument,
                                   catalog: PDFDictionary, update: inout IncrementalUpdate) throws -> Page {
        guard let pagesReference = catalog["Pages"]?.referenceValue,
              var root = try document.resolve(pagesReference).dictionaryValue,
              let kids = try document.array(root["Kids"]) else {
            throw PDFError(.write, "the page tree's root is not an indirect dictionary with /Kids, so no page can be added")
        }
        guard appended.mediaBox.count == 4, appended.mediaBox.allSatisfy(\.isFinite) else {
            throw PDFError(.write, "the added page needs a MediaBox of four numbers")
        }
        let contents = update.add(.stream(PDFStream(dictionary: ["Filter": .name("FlateDecode")],
                                                    data: Flate.compress(appended.content))))
        let dictionary: PDFDictionary = [
            "Type": .name("Page"),
            "Parent": .reference(pagesReference),
            "MediaBox": .numbers(appended.mediaBox),
            "Resources": .dictionary(indirectFonts(appended.resources, update: &update)),
            "Contents": .reference(contents),
        ]
        let reference = update.add(.dictionary(dictionary))
        root["Kids"] = .array(kids + [.reference(reference)])
        root["Count"] = .integer(((try document.resolve(root["Count"] ?? .null)).intValue ?? count) + 1)
        update.replace(pagesReference, with: .dictionary(root))
        let box = PDFRectangle(llx: appended.mediaBox[0], lly: appended.mediaBox[1],
                               urx: appended.mediaBox[2], ury: appended.mediaBox[3])
        return Page(index: count, ref: reference, dictionary: dictionary, mediaBox: box, cropBox: box, rotate: 0,
                    resources: appended.resources)
    }

    /// Finds the placeholders inside the written signature dictionary and
    /// writes the final `/ByteRange` over its placeholder, padded with spaces.
    private static func patchByteRange(_ data: Data, signatureObject: Range<Int>,
                                       capacity: Int) throws -> PreparedSignature {
        var data = data
        let (byteRangeStart, byteRangeEnd, contentsStart) = try data.withUnsafeBytes { buffer in
            let region = UnsafeRawBufferPointer(rebasing: buffer[0..<signatureObject.upperBound])
            guard let key = Lexer.find("/ByteRange [", in: region, from: signatureObject.lowerBound),
                  let close = Lexer.find("]", in: region, from: key),
                  let contentsKey = Lexer.find("/Contents <", in: region, from: signatureObject.lowerBound) else {
                throw PDFError(.write, "the signature placeholders were not found in the written file")
            }
            return (key + 11, close + 1, contentsKey + 10)
        }
        let contentsEnd = contentsStart + 2 * capacity + 2
        guard contentsEnd <= data.count, data[contentsEnd - 1] == UInt8(ascii: ">") else {
            throw PDFError(.write, "the /Contents placeholder does not have the expected length")
        }
        let byteRange = [0, contentsStart, contentsEnd, data.count - contentsEnd]
        var text = Array("[0 \(byteRange[1]) \(byteRange[2]) \(byteRange[3])".utf8)
        let width = byteRangeEnd - byteRangeStart
        guard text.count + 1 <= width else {
            throw PDFError(.write, "the file is too large for the /ByteRange placeholder")
        }
        text.append(contentsOf: repeatElement(UInt8(ascii: " "), count: width - text.count - 1))
        text.append(UInt8(ascii: "]"))
        data.replaceSubrange(byteRangeStart..<byteRangeEnd, with: text)
        return PreparedSignature(data: data, byteRange: byteRange, contentsCapacity: capacity)
    }

    /// Paints the appearance form on the page (ISO 32000-2 §8.10.1: `Do` applies
    /// the form's /Matrix; `cm` maps its transformed /BBox onto the widget /Rect
    /// as §12.5.5 does for annotations), wrapping the old content in q/Q.
    static func paintOnPage(_ appearance: SignatureAppearance, form: ObjectRef, page: Page,
                            into dictionary: inout PDFDictionary, update: inout IncrementalUpdate) throws {
        let m = appearance.matrix ?? [1, 0, 0, 1, 0, 0]
        let b = appearance.bbox
        let corners = [(b[0], b[1]), (b[2], b[1]), (b[0], b[3]), (b[2], b[3])].map { x, y in
            (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
        }
        let x0 = corners.map(\.0).min()!, x1 = corners.map(\.0).max()!
        let y0 = corners.map(\.1).min()!, y1 = corners.map(\.1).max()!
        let r = appearance.rect
        guard x1 > x0, y1 > y0, r.count == 4 else { throw PDFError(.write, "the stamp's box is empty") }
        let sx = (r[2] - r[0]) / (x1 - x0), sy = (r[3] - r[1]) / (y1 - y0)
        let name = "SegelStamp"
        var draw = Data("Q q ".utf8)
        for value in [sx, 0, 0, sy, r[0] - sx * x0, r[1] - sy * y0] {
            PDFObject.real(value).write(into: &draw)
            draw.append(0x20)
        }
        draw.append(Data("cm /\(name) Do Q\n".utf8))
        let before = update.add(.stream(PDFStream(dictionary: [:], data: Data("q\n".utf8))))
        let after = update.add(.stream(PDFStream(dictionary: [:], data: draw)))
        var contents: [PDFObject]
        switch dictionary["Contents"] {
        case .array(let items)?: contents = items
        case let item?: contents = [item]
        case nil: contents = []
        }
        dictionary["Contents"] = .array([.reference(before)] + contents + [.reference(after)])
        var resources = page.resources ?? PDFDictionary()
        var xobjects = try update.document.dictionary(resources["XObject"]) ?? PDFDictionary()
        xobjects[name] = .reference(form)
        resources["XObject"] = .dictionary(xobjects)
        dictionary["Resources"] = .dictionary(resources)
    }
}
