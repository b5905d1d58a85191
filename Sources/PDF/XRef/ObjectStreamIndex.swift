import Foundation

/// A decoded object stream (ISO 32000-2 §7.5.7): `/N` pairs of object number
/// and offset (relative to `/First`), followed by the objects themselves.
struct ObjectStreamIndex: Sendable {
    struct Member: Sendable {
        var number: Int
        var offset: Int
    }

    let number: Int
    let data: Data
    let first: Int
    let members: [Member]
    /// §7.5.7 `/Extends`: the object stream this one extends, if any.
    let extends: ObjectRef?
    /// Slot of each object number (the first one listed, should a number repeat).
    private let slots: [Int: Int]

    /// Strict reading refuses a header that lists a number twice: readers differ
    /// on which copy wins, so no single reading of the file is the right one.
    init(stream: PDFStream, number: Int, options: ReadOptions) throws {
        let maxObjectNumber = options.maxObjectNumber
        let dictionary = stream.dictionary
        guard let count = dictionary.int("N"), count >= 0, let first = dictionary.int("First"), first >= 0 else {
            throw PDFError(.malformed, "object stream lacks a valid /N or /First", object: number)
        }
        let data = try stream.decodedData(limits: options.objectStreamLimits)
        guard first <= data.count, count <= data.count / 2 + 1 else {
            throw PDFError(.malformed, "object stream /N or /First does not fit its data", object: number)
        }
        var members: [Member] = []
        members.reserveCapacity(count)
        try data.withUnsafeBytes { buffer in
            var lexer = Lexer(UnsafeRawBufferPointer(rebasing: buffer[0..<first]))
            for _ in 0..<count {
                lexer.skipWhitespace()
                guard let objectNumber = lexer.readUnsignedInteger(maxDigits: 10) else {
                    throw PDFError(.malformed, "object stream header is malformed", object: number)
                }
                lexer.skipWhitespace()
                guard let offset = lexer.readUnsignedInteger(maxDigits: 10),
                      objectNumber <= maxObjectNumber, first + offset <= data.count else {
                    throw PDFError(.malformed, "object stream header is malformed", object: number)
                }
                members.append(Member(number: objectNumber, offset: offset))
            }
        }
        self.number = number
        self.data = data
        self.first = first
        self.members = members
        self.extends = dictionary["Extends"]?.referenceValue
        var slots: [Int: Int] = [:]
        for (slot, member) in members.enumerated() {
            guard slots[member.number] == nil else {
                if options.mode == .strict {
                    throw PDFError(.xref, "object stream \(number) lists object \(member.number) twice, so readers disagree on which copy is the object",
                                   object: member.number)
                }
                continue
            }
            slots[member.number] = slot
        }
        self.slots = slots
    }

    /// The object `reference` stored at `index` (tolerant reading: if the index
    /// is wrong, wherever the header lists that number; strict reading refuses,
    /// since a reader that trusts the index would read another object).
    func object(_ reference: ObjectRef, index: Int, options: ReadOptions) throws -> PDFObject {
        var slot = index
        if slot >= members.count || members[slot].number != reference.number {
            if options.mode == .strict {
                throw PDFError(.xref, "the cross-reference entry puts object \(reference.number) at index \(index) of object stream \(number), where the stream's header lists \(slot < members.count ? "object \(members[slot].number)" : "nothing")",
                               object: reference.number)
            }
            guard let found = slots[reference.number] else {
                throw PDFError(.xref, "object \(reference.number) is not in object stream \(number)",
                               object: reference.number)
            }
            slot = found
        }
        let start = first + members[slot].offset
        var end = data.count
        if slot + 1 < members.count, first + members[slot + 1].offset > start { end = first + members[slot + 1].offset }
        return try data.withUnsafeBytes { buffer in
            // Bounded by the next member so a missing delimiter cannot run into it.
            let region = UnsafeRawBufferPointer(rebasing: buffer[0..<min(end, buffer.count)])
            var parser = ObjectParser(region, position: start, tolerant: options.mode == .tolerant,
                                      maxDepth: options.maxDepth)
            do {
                return try parser.parseObject()
            } catch var error as PDFError {
                error.object = reference.number
                error.offset = nil
                throw error
            }
        }
    }
}
