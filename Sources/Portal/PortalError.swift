/// The one error type of the Portal module: which publishing step failed, on
/// which path (relative to the site, or a template / source file), and why —
/// the shape of Publish's `PublishingError(stepName:path:…)`.
public struct PortalError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable failure categories for tests and for the CLI's exit codes.
    public enum Code: String, Sendable, Hashable {
        /// The registry could not be read, or holds records that do not fit together.
        case registry = "PORTAL_REGISTRY"
        /// A template, locale file or override folder is missing or malformed.
        case template = "PORTAL_TEMPLATE"
        /// The CA could not be unlocked or the CRL could not be built.
        case trust = "PORTAL_TRUST"
        /// A signed PDF or certificate does not match what the registry recorded.
        case integrity = "PORTAL_INTEGRITY"
        /// Reading or writing a file of the site failed.
        case io = "PORTAL_IO"
        /// The options make no sense (e.g. a CRL validity of 0 days).
        case usage = "PORTAL_USAGE"
        /// Another publish to the same bucket is in progress.
        case busy = "PORTAL_BUSY"
        /// The copy to a bucket was stopped (Ctrl-C); the next run finishes it.
        case interrupted = "PORTAL_INTERRUPTED"
    }

    public var code: Code
    /// The name of the publishing step that failed, e.g. "Render document pages".
    public var step: String?
    /// The file at fault, when there is one.
    public var path: String?
    public var message: String

    public init(_ code: Code, _ message: String, step: String? = nil, path: String? = nil) {
        self.code = code
        self.message = message
        self.step = step
        self.path = path
    }

    /// The same error, attributed to `step` unless it already names one.
    func inStep(_ name: String) -> PortalError {
        var copy = self
        if copy.step == nil { copy.step = name }
        return copy
    }

    public var description: String {
        var text = message
        if let path, !message.contains(path) { text += " (\(path))" }
        if let step { text = "\(step): \(text)" }
        return text
    }
}
