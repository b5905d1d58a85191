import Foundation

/// How to publish (`segel publish` flags).
public struct PublishOptions: Sendable {
    /// The site folder; created if missing.
    public var site: URL
    /// A folder whose files replace the default templates of the same relative path.
    public var templates: URL?
    public var locale: PortalLocale = .id
    /// Publish no PDFs (`d/`); the pages say the PDF is not public.
    public var privatePDFs = false
    /// The hash index's shard count (256, 4,096 or 65,536); nil sizes it to the documents.
    public var indexLayout: HashIndex.Layout?
    /// nextUpdate of a newly issued CRL = thisUpdate + this many days.
    public var crlValidityDays = 7
    /// The zone in which pages show dates and times (machine-readable dates are
    /// always UTC); Western Indonesian Time (WIB) unless told otherwise.
    public var timeZone = TimeZone(identifier: "Asia/Jakarta")!
    /// The clock, used only for the CRL (see `CRLPolicy`).
    public var now = Date()
    /// Check that every unchanged file is still on disk (one lstat each), and
    /// write it again if it is not.
    public var checkExistingFiles = true
    /// Free the publish's working memory (every document, the manifests, the
    /// planned files) when it ends. A command that exits right after
    /// publishing turns this off: freeing ~100,000 small objects one by one
    /// takes longer than the process's exit does (about 20 ms at 5,000 documents).
    public var releasesMemory = true
    /// Called from the publishing thread as work progresses.
    public var progress: (@Sendable (PublishProgress) -> Void)?

    public init(site: URL) {
        self.site = site
    }
}
