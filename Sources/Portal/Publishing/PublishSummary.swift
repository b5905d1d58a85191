/// What a publish did.
public struct PublishSummary: Sendable, Hashable, Codable {
    /// Absolute path of the site folder.
    public var site: String
    /// Files of the site after this publish (the manifest not counted).
    public var files: Int
    public var written: Int
    public var unchanged: Int
    public var deleted: Int
    public var documents: Int
    /// Documents whose files were rendered this time (the others were unchanged).
    public var renderedDocuments: Int
    /// True when a new CRL was signed; false when the previous one was kept.
    public var crlIssued: Bool
    public var crlNumber: Int
    public var crlNextUpdate: String
    /// The time of the latest registry change the site reflects (ISO 8601).
    public var asOf: String
    /// Entries of the issuance log (0 without one), and whether this publish signed a new checkpoint.
    public var logSize: Int = 0
    public var logSigned: Bool = false
    /// Entries of the upload check's hash index (each document's file and
    /// each signer's lookup code), and the shards they are spread over.
    public var indexEntries: Int = 0
    public var indexShards: Int = 0
    public var seconds: Double
    /// Relative paths written, sorted.
    public var writtenPaths: [String]
    /// Relative paths deleted, sorted.
    public var deletedPaths: [String]
    /// How long each step took, in order.
    public var steps: [StepTime]

    public struct StepTime: Sendable, Hashable, Codable {
        public var step: String
        public var seconds: Double
    }

    enum CodingKeys: String, CodingKey {
        case site, files, written, unchanged, deleted, documents, seconds, steps
        case renderedDocuments = "rendered_documents"
        case crlIssued = "crl_issued"
        case crlNumber = "crl_number"
        case crlNextUpdate = "crl_next_update"
        case asOf = "as_of"
        case logSize = "log_size"
        case logSigned = "log_signed"
        case indexEntries = "index_entries"
        case indexShards = "index_shards"
        case writtenPaths = "written_paths"
        case deletedPaths = "deleted_paths"
    }
}
