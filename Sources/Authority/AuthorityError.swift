import Foundation

/// The one error type of the Authority module. `message` is one sentence naming
/// the file, request or record at fault; `code` maps to the CLI's exit codes.
public struct AuthorityError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The operation was refused: illegal state, integrity failure, unsignable file (exit 1).
        case refused
        /// Usage, configuration or I/O problem (exit 3).
        case usage
        case io
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
