/// The one error type of the Stamp module: what failed and on what, with a
/// stable code for tests.
public struct StampError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// libqrencode refused the text (empty, contains NUL, too long for any version).
        case qrEncoding
        /// libpng failed while writing the PNG export.
        case pngEncoding
        /// A size, box or position is not a finite positive value where one is required.
        case invalidGeometry
    }

    public var code: Code
    /// One sentence saying what is wrong.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(message) [stamp.\(code.rawValue)]" }
}
