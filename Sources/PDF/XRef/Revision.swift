/// One cross-reference section of the file and the update it belongs to
/// (ISO 32000-2 §7.5.6 incremental updates).
///
/// ``PDFDocument/revisions`` lists them oldest first, following the `/Prev`
/// chain backwards from the last `startxref`. A hybrid-reference section
/// (§7.5.8.4, a table whose trailer has `/XRefStm`) is one revision that
/// includes the entries of its cross-reference stream; so are several sections
/// that end at the same `%%EOF` (one save that wrote two sections). A
/// linearized file's first-page section (§F.3) has its own `%%EOF` and so
/// appears as the newest revision, as the chain says.
public struct Revision: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// §7.5.4 a classic `xref` table.
        case table
        /// §7.5.8 a cross-reference stream.
        case stream
        /// §7.5.8.4 a table whose trailer points at a cross-reference stream (`/XRefStm`).
        case hybrid
    }

    /// Position in ``PDFDocument/revisions`` (0 = oldest).
    public let index: Int
    public let kind: Kind
    /// Byte offset of the (newest) section (what `startxref` or `/Prev` gives for it).
    public let startxref: Int
    /// The trailer dictionary (for an xref stream, the stream's dictionary).
    public let trailer: PDFDictionary
    /// The entries this section defines, by object number (free entries included).
    public let entries: [Int: XRefEntry]
    /// Byte offset of the `/XRefStm` stream of a hybrid section.
    public let xrefStreamOffset: Int?
    /// Byte offset where the section (table + trailer, or the stream object) ends.
    public let sectionEnd: Int
    /// Byte offset just after the `%%EOF` marker that closes this revision, if found.
    public let eofOffset: Int?
    /// ``eofOffset`` plus the end-of-line that follows the marker (CR, LF or CR LF), if any.
    public let endOffset: Int?

    /// Object numbers this revision defines (in use or compressed), ascending.
    public var definedObjects: [Int] {
        entries.compactMap { $0.value.isFree ? nil : $0.key }.sorted()
    }
}
