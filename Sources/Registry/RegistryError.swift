import Foundation

/// The one error type of the Registry module: a stable code for tests and
/// scripts, and one sentence naming the record at fault (request id, token,
/// `SIG-…` id, e-mail, file) that the CLI prints as is.
public struct RegistryError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    public enum Code: String, Sendable, Hashable, Codable {
        /// No such record (unknown request id, token, `SIG-…` id, user, approver), or no registry.
        case notFound
        /// A unique value is already taken (e-mail, NIM, NIDN, token, serial, identity key).
        case duplicate
        /// The workflow forbids this step from the record's current status.
        case illegalTransition
        /// Stored data does not match what it should (hash mismatch, broken audit chain).
        case integrity
        /// The caller passed something unusable (empty name, malformed hash, not a PDF).
        case badInput
        /// Another process kept the registry locked longer than the wait limit.
        case busy
        /// SQLite or the file system failed for another reason.
        case database
    }

    public var code: Code
    /// One sentence, ready to print.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
    public var errorDescription: String? { message }
}
