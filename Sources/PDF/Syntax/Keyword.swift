import Foundation

/// The bare words that matter to the object syntax (§7.3, §7.5). Anything
/// else made of regular characters is `.other`.
enum Keyword: Equatable {
    case `true`, `false`, null, obj, endobj, stream, endstream, reference, xref, trailer, startxref
    case other

    init(_ bytes: UnsafeRawBufferPointer) {
        func equals(_ word: StaticString) -> Bool {
            guard word.utf8CodeUnitCount == bytes.count else { return false }
            return memcmp(bytes.baseAddress!, word.utf8Start, bytes.count) == 0
        }
        switch bytes.count {
        case 1: self = equals("R") ? .reference : .other
        case 3: self = equals("obj") ? .obj : .other
        case 4: self = equals("true") ? .true : equals("null") ? .null : equals("xref") ? .xref : .other
        case 5: self = equals("false") ? .false : .other
        case 6: self = equals("endobj") ? .endobj : equals("stream") ? .stream : .other
        case 7: self = equals("trailer") ? .trailer : .other
        case 9: self = equals("endstream") ? .endstream : equals("startxref") ? .startxref : .other
        default: self = .other
        }
    }
}
