import Foundation

/// The one error type of the PDF module: what failed, on which object or byte
/// offset, with a stable code for tests.
public struct PDFError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// Not a PDF at all (no header, empty file).
        case notPDF
        /// The file is a PDF but breaks the syntax (ISO 32000-2 §7) where strictness matters.
        case malformed
        /// The cross-reference data is broken (bad startxref, bad entry, /Prev loop).
        case xref
        /// A stream filter failed or its output exceeded the configured limit.
        case filter
        /// The standard security handler rejected the file or could not decrypt it.
        case encryption
        /// The file needs a password other than the empty user password.
        case passwordRequired
        /// A feature segel does not handle (an unknown security handler, say).
        case unsupported
        /// A resource limit (depth, object count, size) was exceeded.
        case limit
        /// Writing an update or signature placeholder failed.
        case write
    }

    public var code: Code
    /// One sentence saying what is wrong, without the file name (the caller adds it).
    public var message: String
    /// Object number the error concerns, if any.
    public var object: Int?
    /// Byte offset in the file the error concerns, if any.
    public var offset: Int?

    public init(_ code: Code, _ message: String, object: Int? = nil, offset: Int? = nil) {
        self.code = code
        self.message = message
        self.object = object
        self.offset = offset
    }

    public var description: String {
        var text = message
        if let object { text += " (object \(object))" }
        if let offset { text += " (at byte \(offset))" }
        return text
    }
}
