import Foundation

/// Object definitions an incremental update (ISO 32000-2 §7.5.6) writes but
/// does not list in its cross-reference section. A reader that follows the
/// cross-reference data never sees them; a reader that repairs or scans the
/// file (pdf.js, MuPDF and poppler all do on some errors) may take them
/// instead of the listed ones, so a file carrying them has no single reading.
extension PDFDocument {
    /// One `N G obj` header found where no cross-reference entry points.
    public struct UnlistedObject: Sendable, Hashable {
        public let number: Int
        public let generation: Int
        public let offset: Int
    }

    /// The first `N G obj` in the bytes revision `index` appends (from the
    /// end of the earlier revisions' bytes to this one's `%%EOF`) that is
    /// neither an object the revision lists nor inside one (stream data is
    /// skipped by its `/Length`), nor inside its cross-reference section.
    ///
    /// "The earlier revisions' bytes" end at the furthest of their ends, not at
    /// the previous one's: a linearized file's newest section (the first-page
    /// one) sits at the start of the file, before the objects it completes.
    public func unlistedObject(inRevision index: Int) throws -> UnlistedObject? {
        guard revisions.indices.contains(index), index > 0 else { return nil }
        let revision = revisions[index]
        guard let start = revisions[..<index].map({ $0.endOffset ?? $0.eofOffset ?? $0.sectionEnd }).max() else { return nil }
        let end = revision.endOffset ?? revision.eofOffset ?? revision.sectionEnd
        guard start < end, end <= data.count else { return nil }

        // The byte extents of what the revision legitimately holds.
        var extents: [Range<Int>] = [min(revision.startxref, revision.sectionEnd)..<max(revision.startxref, revision.sectionEnd)]
        var starts: [Int] = revision.entries.compactMap { entry in
            if case .inUse(let offset, _) = entry.value, offset >= start, offset < end { return offset }
            return nil
        }
        if let stream = revision.xrefStreamOffset { starts.append(stream) }
        for offset in Set(starts) {
            let objectEnd = try data.withUnsafeBytes { buffer -> Int in
                var parser = ObjectParser(buffer, position: offset, tolerant: false, maxDepth: options.maxDepth,
                                          lengthResolver: { try self.resolve($0).intValue })
                // Only the extent is needed: a large appended stream is not copied.
                parser.keepsStreamData = false
                _ = try parser.parseIndirectObject()
                return parser.position
            }
            extents.append(offset..<objectEnd)
        }
        extents.sort { $0.lowerBound < $1.lowerBound }

        // Only the gaps between the listed objects are scanned (a header inside
        // an object, stream data included, is that object's content), so the
        // pages of a large stream are never touched.
        var gaps: [Range<Int>] = []
        var cursor = start
        for extent in extents where extent.upperBound > cursor {
            if extent.lowerBound > cursor { gaps.append(cursor..<min(extent.lowerBound, end)) }
            cursor = max(cursor, extent.upperBound)
            if cursor >= end { break }
        }
        if cursor < end { gaps.append(cursor..<end) }

        return data.withUnsafeBytes { bytes -> UnlistedObject? in
            let scanner = XRefScanner(bytes: bytes, options: options)
            for gap in gaps where !gap.isEmpty {
                var position = gap.lowerBound
                while let hit = Lexer.find("obj", in: bytes, from: position, to: gap.upperBound) {
                    position = hit + 3
                    if position < bytes.count, ByteClass.isRegular(bytes[position]) { continue }
                    guard let header = scanner.headerBefore(hit), header.offset >= start else { continue }
                    if extents.contains(where: { $0.contains(header.offset) }) { continue }
                    return UnlistedObject(number: header.number, generation: header.generation, offset: header.offset)
                }
            }
            return nil
        }
    }
}
