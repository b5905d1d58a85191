import Foundation
import Record

/// Publishes the static verification portal (DESIGN.md, "The published site")
/// into a folder: deterministic (the same registry gives the same bytes; the
/// CRL's freshness rule in `CRLPolicy` is the only use of the clock),
/// incremental (only files whose bytes changed are written, files of the
/// previous publish that are no longer produced are deleted) and crash-safe
/// (temporary name + rename per file that exists, the manifest last; see
/// `SiteWriter` for a site with no manifest yet).
///
/// ```swift
/// let summary = try SitePublisher(source: source, options: options).publish()
/// ```
public struct SitePublisher: Sendable {
    public let source: PublishSource
    public let options: PublishOptions

    public init(source: PublishSource, options: PublishOptions) {
        self.source = source
        self.options = options
    }

    /// Runs every step; an error names the step and the path it failed on.
    public func publish() throws -> PublishSummary {
        let site = options.site.standardizedFileURL
        do {
            try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        } catch {
            throw PortalError(.io, "cannot create the site folder \(site.path)", path: site.path)
        }
        let lock = try SiteLock(site: site)
        defer { withExtendedLifetime(lock) {} }

        var options = options
        options.site = site
        let fresh = !FileManager.default.fileExists(atPath: site.appendingPathComponent(Manifest.fileName).path)
        let writer = try SiteWriter(root: site, createsInPlace: fresh)
        let context = PublishingContext(source: source, options: options, writer: writer, fresh: fresh)
        if !fresh {
            context.previousManifest = Pending { try Manifest.read(site: site) }
        }
        do {
            try PublishingPipeline.standard.run(context)
        } catch {
            // Work started in the background writes into the site: let it end while the lock is held.
            context.shardPrefill?.cancel()
            _ = try? context.shardPrefill?.wait()
            _ = try? context.earlyFlush?.wait()
            _ = try? context.pendingLog?.wait()
            _ = try? context.pendingSitePages?.wait()
            _ = try? context.pendingShards?.wait()
            throw error
        }
        var summary = PublishSummary(
            site: site.path,
            files: context.fileCount,
            written: context.written.count,
            unchanged: context.unchanged,
            deleted: context.deleted.count,
            documents: context.summaries.count,
            renderedDocuments: context.renderedDocuments,
            crlIssued: context.crlIssued,
            crlNumber: context.crl.crlNumber ?? 0,
            crlNextUpdate: ISOTime.string(from: context.crl.nextUpdate),
            asOf: ISOTime.string(from: context.asOf),
            seconds: Date().timeIntervalSince(context.started),
            writtenPaths: context.written,
            deletedPaths: context.deleted,
            steps: context.stepTimes)
        summary.logSize = context.issuanceLog?.tree.size ?? 0
        summary.logSigned = context.issuanceLog?.signedNew ?? false
        summary.indexEntries = context.hashEntries
        summary.indexShards = context.hashLayout.shardCount
        if !options.releasesMemory { _ = Unmanaged.passRetained(context) }
        return summary
    }
}
