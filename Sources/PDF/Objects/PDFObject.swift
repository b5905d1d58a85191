import Foundation

/// A PDF object (ISO 32000-2 §7.3): the eight basic types plus streams and
/// indirect references.
///
/// Values are plain data: comparing two objects compares their contents, and a
/// `.reference` is never followed implicitly (use ``PDFDocument/resolve(_:)``).
public enum PDFObject: Sendable, Hashable {
    /// §7.3.9 The null object.
    case null
    /// §7.3.2 `true` / `false`.
    case bool(Bool)
    /// §7.3.3 An integer number.
    case integer(Int)
    /// §7.3.3 A real number (written without exponent).
    case real(Double)
    /// §7.3.4 A literal or hexadecimal string: raw bytes.
    case string(PDFString)
    /// §7.3.5 A name, without the leading solidus and with `#xx` escapes decoded.
    case name(String)
    /// §7.3.6 An array.
    case array([PDFObject])
    /// §7.3.7 A dictionary, keys in file order.
    case dictionary(PDFDictionary)
    /// §7.3.8 A stream: dictionary plus (still encoded) data.
    case stream(PDFStream)
    /// §7.3.10 An indirect reference.
    case reference(ObjectRef)
}
