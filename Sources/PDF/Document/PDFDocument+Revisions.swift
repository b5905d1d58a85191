extension PDFDocument {
    /// The cross-reference entry of object `number` as the file stood after
    /// revision `index` (ISO 32000-2 §7.5.6: the newest definition up to that update).
    public func entry(_ number: Int, asOfRevision index: Int) -> XRefEntry? {
        guard revisions.indices.contains(index) else { return nil }
        for revision in revisions[...index].reversed() {
            if let entry = revision.entries[number] { return entry }
        }
        return nil
    }

    /// The object `reference` as the file stood after revision `index`, for
    /// comparing what later updates changed. Not cached (the newest revision
    /// goes through ``resolve(_:)-(ObjectRef)``); an indirect stream `/Length`
    /// is read from the newest revision.
    public func resolve(_ reference: ObjectRef, asOfRevision index: Int) throws -> PDFObject {
        try resolve(reference, asOfRevision: index, depth: 0)
    }

    private func resolve(_ reference: ObjectRef, asOfRevision index: Int, depth: Int) throws -> PDFObject {
        guard revisions.indices.contains(index) else {
            throw PDFError(.xref, "the document has no revision \(index)")
        }
        if index == revisions.count - 1 { return try resolve(reference, depth: depth) }
        guard depth < PDFDocument.maxResolutionDepth else {
            throw PDFError(.limit, "references nest too deeply (a reference cycle?)", object: reference.number)
        }
        switch entry(reference.number, asOfRevision: index) {
        case nil, .free?:
            return .null
        case .inUse(let offset, let generation)?:
            guard generation == reference.generation else { return .null }
            return try loadDirect(reference, at: offset, depth: depth)
        case .compressed(let streamNumber, let slot)?:
            guard reference.generation == 0 else { return .null }
            if case .compressed? = entry(streamNumber, asOfRevision: index) {
                throw PDFError(.xref, "an object stream cannot itself be stored in an object stream", object: streamNumber)
            }
            guard case .stream(let stream) = try resolve(ObjectRef(number: streamNumber), asOfRevision: index,
                                                         depth: depth + 1) else {
                throw PDFError(.xref, "object stream \(streamNumber) is missing or not a stream", object: streamNumber)
            }
            let objectStream = try ObjectStreamIndex(stream: stream, number: streamNumber, options: options)
            return try objectStream.object(reference, index: slot, options: options)
        }
    }
}
