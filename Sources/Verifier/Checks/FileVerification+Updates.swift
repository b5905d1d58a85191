import Foundation
import PDF

/// The part of check 2 that concerns revisions appended after the seal
/// (ISO 32000-2 §7.5.6 incremental updates): they are allowed only to add
/// validation data (§12.8.4.3, the document security store `/DSS` and its
/// `/VRI`) or document timestamps (§12.8.5). Everything such an update may
/// touch is enumerated; anything else it changes — a page, its content, an
/// annotation, another form field, the trailer's `/Root` — fails the check,
/// and so does an update that changes nothing (an appended xref-only section).
extension FileVerification {
    /// Objects visited when following a DSS or an appearance: far more than real validation data needs.
    static let maxTraversedObjects = 100_000

    /// More revisions after the seal than validation data ever needs (B-LTA adds two per renewal).
    static let maxLaterRevisions = 32
    /// More objects in one revision after the seal than validation data needs (certificates, CRLs, OCSP responses).
    static let maxObjectsPerUpdate = 20_000

    func laterRevisionsResult(document: PDFDocument, sealRevision: Int, sealEnd: Int) -> CheckResult {
        let later = document.revisions.count - sealRevision - 1
        guard later <= FileVerification.maxLaterRevisions else {
            return .fail("\(later) revisions were appended after the signature, more than validation data needs")
        }
        return revisionsResult(document: document, after: sealRevision, through: document.revisions.count - 1,
                               signedEnd: sealEnd)
    }

    /// The revisions after an earlier signature of the authority's, up to and
    /// including the one the next signer signed: each may only sign an empty
    /// signature field the document already had (ISO 32000-2 §12.8.2.2 DocMDP
    /// P=2: "filling in forms … and signing"), or add validation data or a
    /// document timestamp. Anything else — a new field, a change of content —
    /// fails, whatever the later signature covers.
    /// `next` is the following signature's field and its value: the one
    /// field that revision `nextRevision` may fill.
    func signedRevisionsResult(document: PDFDocument, signedRevision: Int, signedEnd: Int,
                               nextRevision: Int, next: SignatureField) -> CheckResult {
        guard nextRevision > signedRevision else {
            return .fail("the next signature does not end in a later revision of the file")
        }
        guard nextRevision - signedRevision <= FileVerification.maxLaterRevisions else {
            return .fail("\(nextRevision - signedRevision) revisions were appended before the next signature, more than signing needs")
        }
        guard let field = next.fieldRef, let value = next.signatureRef else {
            return .fail("the next signature's field or value is not an object of its own, so what it fills cannot be checked")
        }
        return revisionsResult(document: document, after: signedRevision, through: nextRevision, signedEnd: signedEnd,
                               fill: Fill(revision: nextRevision, field: field, value: value))
    }

    /// The one empty signature field a revision may sign, and the signature it gets.
    struct Fill {
        var revision: Int
        var field: ObjectRef
        var value: ObjectRef
    }

    private func revisionsResult(document: PDFDocument, after sealRevision: Int, through lastRevision: Int,
                                 signedEnd sealEnd: Int, fill: Fill? = nil) -> CheckResult {
        let nextSigner = fill != nil
        guard lastRevision > sealRevision else { return .fail("no revision follows the signature") }
        var additions: [String] = []
        // Object numbers the file refers to: read once for the signed state, then
        // grown with each update's objects (a superset, so it can only refuse more).
        var referenced: Set<Int>
        // What the signed document shows: every object reached from its catalog
        // by any path that does not go through /DSS. Updates may never change
        // these, whatever the signed file's own /DSS names.
        let protected: Set<Int>
        do {
            referenced = try document.referencedObjectNumbers(asOfRevision: sealRevision)
            protected = try shownObjects(document, asOfRevision: sealRevision)
        } catch {
            return .fail("the signed revisions cannot be read strictly (\(error))")
        }
        for index in (sealRevision + 1)...lastRevision {
            let label = "revision \(index + 1), appended after the signature,"
            do {
                switch try examineUpdate(document, revision: index, sealEnd: sealEnd, label: label,
                                         referenced: &referenced, protected: protected,
                                         fill: fill.flatMap { $0.revision == index ? $0 : nil }) {
                case .success(let added): additions.append(added)
                case .failure(let violation): return .fail(violation.reason)
                }
            } catch let error as PDFError {
                return .fail("\(label) cannot be read strictly (\(error.description))")
            } catch {
                return .fail("\(label) cannot be read strictly")
            }
        }
        let count = additions.count
        let what = Set(additions).sorted().joined(separator: " and ")
        if nextSigner {
            return .pass("signs revision \(sealRevision + 1) of \(document.revisions.count) (bytes 0–\(sealEnd)); \(count == 1 ? "the revision after it only adds" : "the \(count) revisions up to the next signature only add") \(what)")
        }
        return .pass("signs the file up to byte \(sealEnd); \(count == 1 ? "the revision after it only adds" : "the \(count) revisions after it only add") \(what)")
    }

    struct UpdateViolation: Error {
        let reason: String
    }

    /// What one later revision adds ("validation data (DSS)", "a document
    /// timestamp"), or why it is not allowed.
    private func examineUpdate(_ document: PDFDocument, revision index: Int, sealEnd: Int, label: String,
                               referenced: inout Set<Int>, protected: Set<Int>,
                               fill: Fill? = nil) throws -> Result<String, UpdateViolation> {
        func violation(_ reason: String) -> Result<String, UpdateViolation> {
            .failure(UpdateViolation(reason: "\(label) \(reason)"))
        }
        let revision = document.revisions[index]
        let previous = index - 1
        let before = document.entries(asOfRevision: previous)
        let after = document.entries(asOfRevision: index)
        let beforeCache = ObjectStreamCache()
        let afterCache = ObjectStreamCache()

        // The trailer keeps naming the same catalog and encryption dictionaries.
        for key in ["Root", "Encrypt"] {
            let old = trailerValue(key, upTo: previous, in: document)
            let new = trailerValue(key, upTo: index, in: document)
            guard old == new else { return violation("changes the trailer's /\(key)") }
        }

        var changed: [Int: XRefEntry] = [:]
        for (number, entry) in revision.entries {
            if entry.isFree {
                if number != 0, let old = before[number], !old.isFree {
                    return violation("deletes object \(number)")
                }
            } else {
                changed[number] = entry
            }
        }
        guard changed.count <= FileVerification.maxObjectsPerUpdate else {
            return violation("changes \(changed.count) objects, more than validation data needs")
        }
        guard !changed.isEmpty else {
            return violation("adds a cross-reference section and nothing else, which can change what the document shows")
        }
        func isNew(_ number: Int) -> Bool {
            guard let old = before[number] else { return true }
            return old.isFree
        }
        func generation(_ number: Int) -> Int {
            if case .inUse(_, let generation)? = after[number] { return generation }
            return 0
        }
        func current(_ number: Int) throws -> PDFObject {
            try document.object(ObjectRef(number: number, generation: generation(number)), in: after, cache: afterCache, streamData: false)
        }
        func earlier(_ number: Int) throws -> PDFObject {
            var old = 0
            if case .inUse(_, let generation)? = before[number] { old = generation }
            return try document.object(ObjectRef(number: number, generation: old), in: before, cache: beforeCache, streamData: false)
        }

        // Every object of the update lies in the appended bytes.
        for (number, entry) in changed.sorted(by: { $0.key < $1.key }) {
            switch entry {
            case .inUse(let offset, _):
                guard offset >= sealEnd else {
                    return violation("points object \(number) at byte \(offset), inside the signed part of the file")
                }
            case .compressed(let stream, _):
                guard case .inUse(let offset, _)? = after[stream], offset >= sealEnd, changed[stream] != nil else {
                    return violation("stores object \(number) in an object stream that is not part of the update")
                }
            case .free:
                continue
            }
        }

        // A new object must not fill a reference the signed document already made:
        // that would change what the signed document shows.
        let newNumbers = Set(changed.keys.filter(isNew))
        if let filled = newNumbers.intersection(referenced).min() {
            return violation("defines object \(filled), which the signed document already referred to, so it changes what was signed")
        }
        for number in changed.keys { collectReferences(in: try current(number), into: &referenced) }
        for key in ["Root", "Info", "Encrypt"] {
            if let value = trailerValue(key, upTo: index, in: document) { collectReferences(in: value, into: &referenced) }
        }

        var explained = Set<Int>()
        // The document information may record the writer and the time of the
        // update (/Producer, /ModDate: pyHanko and Acrobat do); nothing else in it
        // may change, and it must be a dictionary of the update itself.
        let oldInfo = trailerValue("Info", upTo: previous, in: document)
        let newInfo = trailerValue("Info", upTo: index, in: document)
        if let newInfo, oldInfo != newInfo || newInfo.referenceValue.map({ changed[$0.number] != nil }) == true {
            guard let reference = newInfo.referenceValue, changed[reference.number] != nil,
                  let newDictionary = try current(reference.number).dictionaryValue else {
                return violation("changes the trailer's /Info to something other than a dictionary of this update")
            }
            let oldDictionary = try oldInfo.map { try document.resolve($0, in: before, cache: beforeCache, streamData: false) }?.dictionaryValue
                ?? PDFDictionary()
            if let key = differingKeys(oldDictionary, newDictionary, ignoring: FileVerification.updatableInfoKeys).first {
                return violation("changes the document information's /\(key)")
            }
            explained.insert(reference.number)
        } else if oldInfo != newInfo {
            return violation("removes the trailer's /Info")
        }
        for number in newNumbers {
            if case .stream(let stream) = try current(number),
               ["XRef", "ObjStm"].contains(stream.dictionary.name("Type") ?? "") {
                explained.insert(number)
            }
        }

        // The catalog may change only in /DSS, /AcroForm and /Extensions.
        guard let root = trailerValue("Root", upTo: index, in: document)?.referenceValue else {
            return violation("has no catalog reference")
        }
        guard let oldCatalog = try document.object(root, in: before, cache: beforeCache, streamData: false).dictionaryValue,
              let newCatalog = try document.object(root, in: after, cache: afterCache, streamData: false).dictionaryValue else {
            return violation("leaves the document without a readable catalog")
        }
        if changed[root.number] != nil {
            if let key = differingKeys(oldCatalog, newCatalog, ignoring: ["DSS", "AcroForm", "Extensions"]).first {
                return violation("changes the document catalog's /\(key)")
            }
            explained.insert(root.number)
        }

        // The form may only gain new fields, each a document timestamp.
        var timestampFields: [ObjectRef] = []
        let oldFormValue = oldCatalog["AcroForm"]
        let newFormValue = newCatalog["AcroForm"]
        let formObjectChanged = newFormValue?.referenceValue.map { changed[$0.number] != nil } ?? false
        if oldFormValue != newFormValue || formObjectChanged {
            guard let newForm = try newFormValue.map({ try document.resolve($0, in: after, cache: afterCache, streamData: false) })?.dictionaryValue else {
                return violation("removes or breaks the form (/AcroForm)")
            }
            let oldForm = try oldFormValue.map { try document.resolve($0, in: before, cache: beforeCache, streamData: false) }?.dictionaryValue
                ?? PDFDictionary()
            if let key = differingKeys(oldForm, newForm, ignoring: ["Fields", "SigFlags"]).first {
                return violation("changes the form's /\(key)")
            }
            if let reference = newFormValue?.referenceValue, changed[reference.number] != nil {
                explained.insert(reference.number)
            }
            let oldFields = try oldForm["Fields"].map { try document.resolve($0, in: before, cache: beforeCache, streamData: false) }?.arrayValue ?? []
            let newFields = try newForm["Fields"].map { try document.resolve($0, in: after, cache: afterCache, streamData: false) }?.arrayValue ?? []
            if let reference = newForm["Fields"]?.referenceValue, changed[reference.number] != nil {
                explained.insert(reference.number)
            }
            guard newFields.count >= oldFields.count, Array(newFields.prefix(oldFields.count)) == oldFields else {
                return violation("changes or removes existing form fields")
            }
            for added in newFields.dropFirst(oldFields.count) {
                guard let reference = added.referenceValue, newNumbers.contains(reference.number) else {
                    return violation("adds an existing object to the form's fields")
                }
                timestampFields.append(reference)
            }
        }

        // Each new field is a document timestamp whose widgets cannot be seen.
        var widgets = Set<ObjectRef>()
        var pagesOfWidgets = Set<ObjectRef>()
        for reference in timestampFields {
            guard let field = try current(reference.number).dictionaryValue, field.name("FT") == "Sig",
                  let value = field["V"]?.referenceValue, newNumbers.contains(value.number),
                  let signature = try current(value.number).dictionaryValue,
                  signature.name("Type") == "DocTimeStamp" || signature.name("SubFilter") == "ETSI.RFC3161" else {
                return violation("adds form field \(reference.number), which is not a document timestamp")
            }
            if let key = field.keys.sorted().first(where: { !FileVerification.timestampFieldKeys.contains($0) }) {
                return violation("adds a document timestamp field with /\(key), which a timestamp does not need")
            }
            explained.insert(reference.number)
            explained.insert(value.number)
            var fieldWidgets: [ObjectRef] = []
            if let kids = field["Kids"]?.arrayValue {
                for kid in kids {
                    guard let kidReference = kid.referenceValue, newNumbers.contains(kidReference.number) else {
                        return violation("adds a timestamp field whose widgets are not new objects")
                    }
                    fieldWidgets.append(kidReference)
                }
            } else if field.name("Subtype") == "Widget" || field["Rect"] != nil {
                fieldWidgets.append(reference)
            }
            for widgetReference in fieldWidgets {
                guard let widget = try current(widgetReference.number).dictionaryValue else {
                    return violation("adds an unreadable timestamp widget")
                }
                if let key = widget.keys.sorted().first(where: { !FileVerification.timestampFieldKeys.contains($0) }) {
                    return violation("adds a document timestamp widget with /\(key), which a timestamp does not need")
                }
                guard isInvisible(widget) else {
                    return violation("adds a visible widget for a document timestamp, which could paint over the signed page")
                }
                widgets.insert(widgetReference)
                explained.insert(widgetReference.number)
                if let page = widget["P"]?.referenceValue { pagesOfWidgets.insert(page) }
                if let appearance = widget["AP"] {
                    try traverse(appearance, in: after, cache: afterCache, document: document, into: &explained) { number in
                        newNumbers.contains(number)
                    }
                }
            }
        }

        // The next signer signs an empty signature field the document already
        // had: the field gains /V (its new signature dictionary) and /AP (its
        // stamp, new objects), and nothing else of it changes.
        var filledFields = 0
        if let fill, changed[fill.field.number] != nil, !isNew(fill.field.number) {
            // Only the next signature's own field, and only with that signature.
            let number = fill.field.number
            if let oldField = try earlier(number).dictionaryValue, oldField.name("FT") == "Sig",
               oldField["V"] == nil || oldField["V"]?.isNull == true,
               let newField = try current(number).dictionaryValue {
                if let key = differingKeys(oldField, newField, ignoring: ["V", "AP"]).first {
                    return violation("changes the /\(key) of the empty signature field \(number) it signs")
                }
                guard let value = newField["V"]?.referenceValue, value == fill.value, newNumbers.contains(value.number),
                      let signature = try current(value.number).dictionaryValue,
                      (signature.name("Type") ?? "Sig") == "Sig",
                      signature["ByteRange"] != nil, signature["Contents"] != nil else {
                    return violation("fills signature field \(number) with something other than the signature that follows")
                }
                explained.insert(number)
                explained.insert(value.number)
                if let appearance = newField["AP"] {
                    try traverse(appearance, in: after, cache: afterCache, document: document, into: &explained) { number in
                        newNumbers.contains(number)
                    }
                }
                filledFields += 1
            }
        }

        // Pages may only gain those widgets in /Annots.
        for number in changed.keys.sorted() where !explained.contains(number) && !isNew(number) {
            guard let oldPage = try earlier(number).dictionaryValue, oldPage.name("Type") == "Page",
                  let newPage = try current(number).dictionaryValue else { continue }
            if let key = differingKeys(oldPage, newPage, ignoring: ["Annots"]).first {
                return violation("changes the /\(key) of a page")
            }
            guard annotationsOnlyGained(widgets, old: oldPage["Annots"], new: newPage["Annots"], document: document,
                                        before: before, after: after) else {
                return violation("adds annotations to a page")
            }
            explained.insert(number)
        }
        for page in pagesOfWidgets {
            guard let pageDictionary = try document.object(page, in: after, cache: afterCache, streamData: false).dictionaryValue,
                  let annotations = pageDictionary["Annots"]?.referenceValue,
                  changed[annotations.number] != nil, !isNew(annotations.number) else { continue }
            guard annotationsOnlyGained(widgets, old: .reference(annotations), new: .reference(annotations),
                                        document: document, before: before, after: after) else {
                return violation("adds annotations to a page")
            }
            explained.insert(annotations.number)
        }

        // Validation data: the DSS, its arrays and VRI, and the streams they hold.
        var addsValidationData = false
        let oldDSS = oldCatalog["DSS"]
        let newDSS = newCatalog["DSS"]
        if let newDSS {
            var updatable = Set<Int>()
            if let reference = oldDSS?.referenceValue {
                updatable.insert(reference.number)
                if let dictionary = try document.resolve(.reference(reference), in: before, cache: beforeCache, streamData: false).dictionaryValue {
                    for entry in dictionary { if let child = entry.value.referenceValue { updatable.insert(child.number) } }
                }
            }
            guard try document.resolve(newDSS, in: after, cache: afterCache, streamData: false).dictionaryValue != nil else {
                return violation("sets a /DSS that is not a dictionary")
            }
            // An object the signed document shows is never validation data, even
            // if the signed file's own /DSS names it (planted there before signing).
            updatable.subtract(protected)
            if let shown = changed.keys.filter({ protected.contains($0) && !explained.contains($0) }).min() {
                let kind = (try? current(shown)).flatMap(describe) ?? "an object"
                return violation("changes object \(shown) (\(kind)), which the signed document shows; validation data may only add new objects")
            }
            guard try dssHasValidShape(newDSS, in: after, cache: afterCache, document: document) else {
                return violation("sets a /DSS whose entries are not validation data (only /Certs, /CRLs, /OCSPs arrays of streams and /VRI are)")
            }
            let before = explained.count
            try traverse(newDSS, in: after, cache: afterCache, document: document, into: &explained) { number in
                changed[number] != nil && !protected.contains(number)
                    && (newNumbers.contains(number) || updatable.contains(number))
            }
            addsValidationData = explained.count > before || oldDSS != newDSS
        }

        // A new object nothing refers to cannot change what the document shows
        // (writers leave such orphans, e.g. an unused copy of /Info).
        explained.formUnion(newNumbers.subtracting(explained).subtracting(referenced))
        if let number = changed.keys.sorted().first(where: { !explained.contains($0) }) {
            let kind = (try? current(number)).flatMap(describe) ?? "an object"
            let verb = isNew(number) ? "adds" : "changes"
            return violation("\(verb) object \(number) (\(kind)), which is neither validation data nor a document timestamp")
        }
        if filledFields > 0 {
            return .success(addsValidationData ? "a signature in a field the signed document had, and validation data (DSS)"
                                               : "a signature in a field the signed document had")
        }
        guard addsValidationData || !timestampFields.isEmpty else {
            return violation("adds neither validation data (DSS) nor a document timestamp")
        }
        switch (addsValidationData, timestampFields.isEmpty) {
        case (true, false): return .success("validation data (DSS) and a document timestamp")
        case (true, true): return .success("validation data (DSS)")
        default: return .success("a document timestamp")
        }
    }

    /// Objects reachable from the catalog of revision `index` by any path
    /// other than through its `/DSS` (stream data is not read).
    private func shownObjects(_ document: PDFDocument, asOfRevision index: Int) throws -> Set<Int> {
        let entries = document.entries(asOfRevision: index)
        let cache = ObjectStreamCache()
        var shown = Set<Int>()
        guard let root = trailerValue("Root", upTo: index, in: document)?.referenceValue else { return shown }
        shown.insert(root.number)
        var stack: [PDFObject] = []
        if let catalog = try document.object(root, in: entries, cache: cache, streamData: false).dictionaryValue {
            for entry in catalog where entry.key != "DSS" { stack.append(entry.value) }
        }
        while let next = stack.popLast() {
            switch next {
            case .reference(let reference):
                guard shown.insert(reference.number).inserted else { continue }
                guard shown.count <= entries.count + 1 else {
                    throw PDFError(.limit, "the signed document refers to more objects than it defines")
                }
                stack.append(try document.object(reference, in: entries, cache: cache, streamData: false))
            case .array(let elements): stack.append(contentsOf: elements)
            case .dictionary(let dictionary): stack.append(contentsOf: dictionary.entries.map(\.value))
            case .stream(let stream): stack.append(contentsOf: stream.dictionary.entries.map(\.value))
            default: continue
            }
        }
        return shown
    }

    /// ISO 32000-2 §12.8.4.3 Tables 261 and 262: a DSS holds `/Type`, arrays of
    /// streams under `/Certs`, `/CRLs` and `/OCSPs`, and a `/VRI` dictionary of
    /// dictionaries whose entries are the same arrays, `/TU` and `/TS`.
    private func dssHasValidShape(_ value: PDFObject, in entries: [Int: XRefEntry], cache: ObjectStreamCache,
                                  document: PDFDocument) throws -> Bool {
        func resolve(_ value: PDFObject) throws -> PDFObject { try document.resolve(value, in: entries, cache: cache, streamData: false) }
        func streams(_ value: PDFObject) throws -> Bool {
            guard let array = try resolve(value).arrayValue else { return false }
            for element in array {
                guard element.referenceValue != nil, try resolve(element).streamValue != nil else { return false }
            }
            return true
        }
        guard let dss = try resolve(value).dictionaryValue else { return false }
        for item in dss {
            let entry = item.value
            switch item.key {
            case "Type": guard entry.nameValue == "DSS" else { return false }
            case "Certs", "CRLs", "OCSPs": guard try streams(entry) else { return false }
            case "VRI":
                guard let vri = try resolve(entry).dictionaryValue else { return false }
                for item in vri {
                    guard let dictionary = try resolve(item.value).dictionaryValue else { return false }
                    for field in dictionary {
                        let itemValue = field.value
                        switch field.key {
                        case "Type": guard itemValue.nameValue == "VRI" else { return false }
                        case "Cert", "CRL", "OCSP": guard try streams(itemValue) else { return false }
                        case "TU": guard case .string = itemValue else { return false }
                        case "TS": guard try resolve(itemValue).streamValue != nil else { return false }
                        default: return false
                        }
                    }
                }
            default: return false
            }
        }
        return true
    }

    /// The newest value of a trailer key among revisions `0...index` (§7.5.6: an
    /// update's trailer repeats what it keeps).
    private func trailerValue(_ key: String, upTo index: Int, in document: PDFDocument) -> PDFObject? {
        for revision in document.revisions[...index].reversed() {
            if let value = revision.trailer[key], !value.isNull { return value }
        }
        return nil
    }

    /// Keys whose values differ (absent and null are the same, §7.3.7).
    private func differingKeys(_ old: PDFDictionary, _ new: PDFDictionary, ignoring: Set<String>) -> [String] {
        let keys = Set(old.keys).union(new.keys).subtracting(ignoring)
        return keys.sorted().filter { key in
            let left = old[key].flatMap { $0.isNull ? nil : $0 }
            let right = new[key].flatMap { $0.isNull ? nil : $0 }
            return left != right
        }
    }

    /// A widget that cannot paint anything chosen by whoever appended it: no
    /// appearance stream (§12.5.5), a zero-area `/Rect`, or the Hidden flag
    /// (§12.5.3 Table 167). NoView is not enough: with Print the widget still
    /// prints, with ToggleNoView it shows on mouse-over.
    private func isInvisible(_ widget: PDFDictionary) -> Bool {
        if widget["AP"] == nil { return true }
        if let flags = widget.int("F"), flags & 2 != 0 { return true }
        guard let rect = widget["Rect"]?.numberArray, rect.count == 4 else { return false }
        return rect[0] == rect[2] || rect[1] == rect[3]
    }

    /// The document information keys a later revision may set: who wrote it and when.
    static let updatableInfoKeys: Set<String> = ["Producer", "ModDate"]

    /// The keys a document timestamp's field and widget need (§12.7.4.5 signature
    /// fields, §12.5.2 annotations, §12.5.6.19 widgets). Actions (`/A`, `/AA`),
    /// JavaScript and anything else are refused: a timestamp does nothing.
    static let timestampFieldKeys: Set<String> = [
        "Type", "Subtype", "FT", "T", "TU", "TM", "Ff", "V", "Kids", "Parent", "Rect", "F", "P", "AP", "AS",
        "DA", "MK", "NM", "M", "StructParent", "Border", "Lock", "SV",
    ]
    /// True when the annotations array only gained entries from `widgets` at its end.
    private func annotationsOnlyGained(_ widgets: Set<ObjectRef>, old: PDFObject?, new: PDFObject?,
                                       document: PDFDocument, before: [Int: XRefEntry],
                                       after: [Int: XRefEntry]) -> Bool {
        func array(_ value: PDFObject?, in entries: [Int: XRefEntry]) -> [PDFObject]? {
            guard let value, !value.isNull else { return [] }
            return (try? document.resolve(value, in: entries, cache: ObjectStreamCache(), streamData: false))?.arrayValue
        }
        guard let oldArray = array(old, in: before), let newArray = array(new, in: after),
              newArray.count >= oldArray.count, Array(newArray.prefix(oldArray.count)) == oldArray else { return false }
        return newArray.dropFirst(oldArray.count).allSatisfy { $0.referenceValue.map(widgets.contains) ?? false }
    }

    /// Marks the objects reachable from `value` through objects `allowed` accepts.
    private func traverse(_ value: PDFObject, in entries: [Int: XRefEntry], cache: ObjectStreamCache,
                          document: PDFDocument,
                          into explained: inout Set<Int>,
                          allowed: (Int) -> Bool) throws {
        var stack = [value]
        var visited = 0
        while let next = stack.popLast() {
            switch next {
            case .reference(let reference):
                guard allowed(reference.number), !explained.contains(reference.number) else { continue }
                visited += 1
                guard visited <= FileVerification.maxTraversedObjects else {
                    throw PDFError(.limit, "the update's validation data is too large to check")
                }
                explained.insert(reference.number)
                stack.append(try document.object(reference, in: entries, cache: cache, streamData: false))
            case .array(let elements):
                stack.append(contentsOf: elements)
            case .dictionary(let dictionary):
                stack.append(contentsOf: dictionary.entries.map(\.value))
            case .stream(let stream):
                stack.append(contentsOf: stream.dictionary.entries.map(\.value))
            default:
                continue
            }
        }
    }

    /// Adds every object number `object` refers to (stream data is not read).
    private func collectReferences(in object: PDFObject, into found: inout Set<Int>) {
        var stack = [object]
        while let next = stack.popLast() {
            switch next {
            case .reference(let reference): found.insert(reference.number)
            case .array(let elements): stack.append(contentsOf: elements)
            case .dictionary(let dictionary): stack.append(contentsOf: dictionary.entries.map(\.value))
            case .stream(let stream): stack.append(contentsOf: stream.dictionary.entries.map(\.value))
            default: continue
            }
        }
    }

    /// "a /Page", "an annotation", … for a reason sentence.
    private func describe(_ object: PDFObject) -> String? {
        guard let dictionary = object.dictionaryLike else {
            if object.arrayValue != nil { return "an array" }
            return nil
        }
        if let type = dictionary.name("Type") {
            switch type {
            case "Page": return "a page"
            case "Pages": return "the page tree"
            case "Annot": return "an annotation"
            case "XObject": return "an image or form XObject"
            default: return "a /\(type)"
            }
        }
        if dictionary["Subtype"] != nil, dictionary["Rect"] != nil { return "an annotation" }
        if dictionary["FT"] != nil || dictionary["T"] != nil { return "a form field" }
        if object.streamValue != nil { return "a stream" }
        return "a dictionary"
    }
}
