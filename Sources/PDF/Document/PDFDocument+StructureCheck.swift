extension PDFDocument {
    /// Parses every object definition of every revision, each as the file
    /// stood after the revision that defines it, and throws the first error:
    /// the "parses strictly in every revision" check of a verifier. Stream data
    /// is read (to find `endstream`) but not decoded, except object streams.
    public func checkAllObjects() throws {
        for revision in revisions {
            var objectStreams: [Int: ObjectStreamIndex] = [:]
            for (number, entry) in revision.entries.sorted(by: { $0.key < $1.key }) {
                switch entry {
                case .free:
                    continue
                case .inUse(let offset, let generation):
                    if number == 0 { continue }
                    _ = try loadDirect(ObjectRef(number: number, generation: generation), at: offset, depth: 0)
                case .compressed(let streamNumber, let slot):
                    let objectStream: ObjectStreamIndex
                    if let cached = objectStreams[streamNumber] {
                        objectStream = cached
                    } else {
                        guard case .stream(let stream) = try resolve(ObjectRef(number: streamNumber),
                                                                     asOfRevision: revision.index) else {
                            throw PDFError(.xref, "object stream \(streamNumber) is missing or not a stream",
                                           object: streamNumber)
                        }
                        objectStream = try ObjectStreamIndex(stream: stream, number: streamNumber,
                                                             options: options)
                        objectStreams[streamNumber] = objectStream
                    }
                    _ = try objectStream.object(ObjectRef(number: number), index: slot, options: options)
                }
            }
        }
    }
}
