import Foundation

/// What happened to one manifest row; `--json` prints one per line.
public struct BatchResult: Sendable, Hashable, Encodable {
    public enum Status: String, Sendable, Hashable, Encodable {
        case signed, skipped, failed
    }

    public var line: Int
    public var file: String
    public var status: Status
    /// Set for signed rows and for skipped rows (the earlier signing's result).
    public var result: SigningResult?
    public var error: String?

    public init(line: Int, file: String, status: Status, result: SigningResult? = nil, error: String? = nil) {
        self.line = line
        self.file = file
        self.status = status
        self.result = result
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case line, file, status, error
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(line, forKey: .line)
        try c.encode(file, forKey: .file)
        try c.encode(status.rawValue, forKey: .status)
        try c.encodeIfPresent(error, forKey: .error)
        try result?.encode(to: encoder)
    }
}
