/// A lexical token of ISO 32000-2 §7.2–7.3.
enum Token: Equatable {
    case integer(Int)
    case real(Double)
    case name(String)
    case string(PDFString)
    case arrayOpen
    case arrayClose
    case dictionaryOpen
    case dictionaryClose
    case keyword(Keyword)
    case endOfInput
}

/// The bare words that matter to the object syntax (§7.3, §7.5). Anything
/// else made of regular characters is `.other`.
enum Keyword: Equatable {
    case `true`, `false`, null, obj, endobj, stream, endstream, reference, xref, trailer, startxref
    case other

    init<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        switch Array(bytes) {
        case Array("true".utf8): self = .true
        case Array("false".utf8): self = .false
        case Array("null".utf8): self = .null
        case Array("obj".utf8): self = .obj
        case Array("endobj".utf8): self = .endobj
        case Array("stream".utf8): self = .stream
        case Array("endstream".utf8): self = .endstream
        case Array("R".utf8): self = .reference
        case Array("xref".utf8): self = .xref
        case Array("trailer".utf8): self = .trailer
        case Array("startxref".utf8): self = .startxref
        default: self = .other
        }
    }
}
