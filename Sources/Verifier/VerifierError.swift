import Foundation

/// The one error type of the Verifier module: a problem with the verifier's
/// inputs (a missing file, unreadable trust data), never with a signature.
///
/// A bad signature is not an error: ``Verifier`` reports it as a failed check
/// in a ``VerificationReport``. Errors are what `segel-verify` maps to exit
/// code 3 (usage or I/O).
public struct VerifierError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// A file could not be opened or read.
        case io = "VERIFY_IO"
        /// trust.json, ca.pem or crl.pem is missing, unreadable or malformed.
        case trustInput = "VERIFY_TRUST_INPUT"
        /// The trust inputs contradict each other (trust.json's CA is not ca.pem, the CRL is not the CA's).
        case trustMismatch = "VERIFY_TRUST_MISMATCH"
        /// Options that do not make sense together.
        case usage = "VERIFY_USAGE"
    }

    public let code: Code
    /// One sentence naming the thing at fault.
    public let message: String
    /// The file or folder the error concerns, if any.
    public let path: String?

    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String { message }
}
