/// The one error type of the PKI module.
///
/// `code` is stable and meant for tests and callers that branch on the failure;
/// `message` names the operation and the object it failed on; `openSSLErrors`
/// carries the libcrypto error queue as it was drained at the point of failure.
public struct PKIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable failure categories. Raw values never change once shipped.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case keyGeneration = "PKI_KEY_GENERATION"
        case keyEncoding = "PKI_KEY_ENCODING"
        case keyDecoding = "PKI_KEY_DECODING"
        case wrongPassphrase = "PKI_WRONG_PASSPHRASE"
        case unsupportedKey = "PKI_UNSUPPORTED_KEY"
        case invalidCertificate = "PKI_INVALID_CERTIFICATE"
        case invalidName = "PKI_INVALID_NAME"
        case invalidSerial = "PKI_INVALID_SERIAL"
        case invalidURI = "PKI_INVALID_URI"
        case invalidValidity = "PKI_INVALID_VALIDITY"
        case certificateIssuing = "PKI_CERTIFICATE_ISSUING"
        case cmsSigning = "PKI_CMS_SIGNING"
        case invalidCMS = "PKI_INVALID_CMS"
        case crlBuilding = "PKI_CRL_BUILDING"
        case invalidCRL = "PKI_INVALID_CRL"
        case digest = "PKI_DIGEST"
        case encryption = "PKI_ENCRYPTION"
        case decryption = "PKI_DECRYPTION"
        case random = "PKI_RANDOM"
        case io = "PKI_IO"
        case timestamp = "PKI_TIMESTAMP"
    }

    public let code: Code
    public let message: String
    /// libcrypto's error strings, oldest first (empty when the failure was ours).
    public let openSSLErrors: [String]

    public init(_ code: Code, _ message: String, openSSLErrors: [String] = []) {
        self.code = code
        self.message = message
        self.openSSLErrors = openSSLErrors
    }

    public var description: String {
        if openSSLErrors.isEmpty { return "\(message) [\(code.rawValue)]" }
        return "\(message) [\(code.rawValue)] (OpenSSL: \(openSSLErrors.joined(separator: "; ")))"
    }

    /// Builds an error and drains the calling thread's OpenSSL error queue into it.
    static func openSSL(_ code: Code, _ message: String) -> PKIError {
        PKIError(code, message, openSSLErrors: OpenSSLErrorQueue.drain())
    }
}
