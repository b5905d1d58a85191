/// A file in the authority's content-addressed store, as `FileStore.store`
/// returns it and `Registry.submit` / `resubmit` record it.
public struct StoredFile: Sendable, Hashable, Codable {
    /// Lowercase hex SHA-256 of the bytes.
    public var sha256: String
    public var size: Int64
    /// Relative to the authority home: `files/<aa>/<sha256>.pdf`.
    public var storedPath: String
    /// The name the file had when it was submitted (last path component).
    public var originalFilename: String

    public init(sha256: String, size: Int64, storedPath: String, originalFilename: String) {
        self.sha256 = sha256
        self.size = size
        self.storedPath = storedPath
        self.originalFilename = originalFilename
    }
}
