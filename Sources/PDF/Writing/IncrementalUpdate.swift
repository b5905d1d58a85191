import Foundation
import Hashing

/// An incremental update (ISO 32000-2 §7.5.6): new and replaced objects
/// appended after the original bytes, which stay untouched, with a new
/// cross-reference section whose `/Prev` points at the previous one.
///
/// The new section has the flavour of the file's last one: a classic table
/// when the last section was a table (hybrid files included), a
/// cross-reference stream otherwise. When the document is encrypted the new
/// strings and streams are encrypted with its security handler (§7.6.2),
/// except the `/Contents` of signature dictionaries, which is never encrypted.
public struct IncrementalUpdate: Sendable {
    public let document: PDFDocument
    private var objects: [ObjectRef: PDFObject] = [:]
    private var nextNumber: Int

    /// Where each written object landed, for callers that patch bytes afterwards.
    public struct Layout: Sendable {
        public var data: Data
        /// Byte range of each written indirect object (`N G obj` … `endobj`).
        public var objectRanges: [ObjectRef: Range<Int>]
        /// Offset of the new cross-reference section.
        public var startxref: Int
    }

    public init(document: PDFDocument) throws {
        guard !document.wasRepaired, !document.revisions.isEmpty, document.startxref != nil else {
            throw PDFError(.write, "an update cannot be appended to a file whose cross-reference data had to be rebuilt")
        }
        self.document = document
        // Numbers continue from /Size, skipping any a trailer already refers to:
        // a dangling reference (LibreOffice's /AdditionalStreams, say) must not
        // come to life as one of the new objects.
        var next = document.size
        for trailer in document.revisions.map(\.trailer) + [document.trailer] {
            PDFRewriter.forEachReference(in: .dictionary(trailer)) { next = max(next, $0.number + 1) }
        }
        nextNumber = next
    }

    /// Adds a new indirect object and returns its reference (numbers continue from `/Size`).
    public mutating func add(_ object: PDFObject) -> ObjectRef {
        let reference = ObjectRef(number: nextNumber, generation: 0)
        nextNumber += 1
        objects[reference] = object
        return reference
    }

    /// Writes `object` as the new value of an existing object.
    public mutating func replace(_ reference: ObjectRef, with object: PDFObject) {
        objects[reference] = object
        if reference.number >= nextNumber { nextNumber = reference.number + 1 }
    }

    /// The objects this update writes (added and replaced).
    public var changedObjects: [ObjectRef: PDFObject] { objects }

    /// The updated file.
    public func write() throws -> Data { try writeWithLayout().data }

    public func writeWithLayout() throws -> Layout {
        guard let previous = document.startxref else {
            throw PDFError(.write, "the file has no startxref to chain the update to")
        }
        let original = document.data
        var output: [UInt8] = []
        output.reserveCapacity(4096 + objects.count * 256)
        let base = original.count
        // The update starts on a new line so `%%EOF` stays a line of its own.
        if let last = original.last, last != 0x0A, last != 0x0D {
            output.append(0x0A)
        }
        var ranges: [ObjectRef: Range<Int>] = [:]
        var entries: [Int: (offset: Int, generation: Int)] = [:]
        for reference in objects.keys.sorted() {
            var object = objects[reference]!
            if let handler = document.securityHandler {
                object = try encrypt(object, reference: reference, handler: handler)
            }
            let start = base + output.count
            PDFObject.writeIndirect(object, reference: reference, into: &output)
            ranges[reference] = start..<(base + output.count)
            entries[reference.number] = (start, reference.generation)
        }

        var trailer = PDFDictionary()
        let highest = max(document.size, (objects.keys.map(\.number).max() ?? 0) + 1)
        trailer["Size"] = .integer(highest)
        if let root = document.trailer["Root"] { trailer["Root"] = root }
        if let info = document.trailer["Info"] { trailer["Info"] = info }
        // A null /Encrypt is an absent one (§7.3.9); copying it makes some readers
        // (pyHanko) refuse the file.
        if let encrypt = document.trailer["Encrypt"], !encrypt.isNull { trailer["Encrypt"] = encrypt }
        let newID = PDFString(bytes: Digest.sha256(Data(output) + Data(String(original.count).utf8)
                                                   + Data(String(previous).utf8)).prefix(16), wasHex: true)
        if let first = document.trailer["ID"]?.arrayValue?.first, case .string = first {
            trailer["ID"] = .array([first, .string(newID)])
        } else {
            trailer["ID"] = .array([.string(newID), .string(newID)])
        }
        trailer["Prev"] = .integer(previous)

        let xrefOffset = base + output.count
        switch document.revisions.last?.kind ?? .table {
        case .table, .hybrid:
            output.append(contentsOf: XRefWriter.table(entries: entries, trailer: trailer))
        case .stream:
            let number = highest
            trailer["Size"] = .integer(number + 1)
            output.append(contentsOf: XRefWriter.stream(number: number, offset: xrefOffset, entries: entries,
                                                        trailer: trailer))
        }
        output.append(contentsOf: Array("startxref\n\(xrefOffset)\n%%EOF\n".utf8))
        var data = original
        data.append(contentsOf: output)
        return Layout(data: data, objectRanges: ranges, startxref: xrefOffset)
    }

    private func encrypt(_ object: PDFObject, reference: ObjectRef, handler: StandardSecurityHandler) throws -> PDFObject {
        try document.mapEncryptedParts(object, hexStrings: true) { bytes, isStream in
            try handler.encrypt(bytes, object: reference.number, generation: reference.generation, isStream: isStream)
        }
    }
}
