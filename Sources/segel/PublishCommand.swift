import ArgumentParser
import Authority
import Foundation
import ObjectStore
import Portal

struct PublishCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Publish the static verification portal into a folder.",
        discussion: """
        Writes the portal (DESIGN.md, "The published site") into --site (default: the folder \
        given to `segel init`). Only files whose content changed are written; files of the \
        previous publish that are no longer part of the site are deleted; nothing else in the \
        folder is touched. The CRL is kept while it lists the same certificates and is less than \
        half-way to its nextUpdate; otherwise a new one is signed, which needs the CA passphrase.

        With --to s3://BUCKET/PREFIX the site folder is then copied into S3 or any S3-compatible \
        service (--endpoint URL): only objects that differ from the bucket's own copy of the \
        manifest, files others point at last, deletions after that, the manifest last of all. \
        Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (AWS_SESSION_TOKEN), or the \
        shared credentials file (AWS_PROFILE); region: --region, AWS_REGION, the shared config \
        file, else us-east-1. Two runs at once: the second fails. Ctrl-C lets the uploads under way \
        finish and starts no new one. An interrupted copy is finished by the next run, from any \
        machine: at once after an error or Ctrl-C, or when a killed run's five-minute lease on \
        the lock ends.
        """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Site folder (default: the authority's site folder).", valueName: "DIR"))
    var site: String?

    @Option(help: ArgumentHelp("Folder whose files replace the default templates of the same relative path.", valueName: "DIR"))
    var templates: String?

    @Option(help: "Language of the pages: id (default) or en.")
    var locale: PortalLocale = .id

    @Flag(name: .customLong("private-pdfs"), help: "Do not publish the signed PDFs (the pages say so).")
    var privatePDFs = false

    @Option(name: .customLong("crl-days"), help: ArgumentHelp("Validity of a newly signed CRL in days (default: the authority's setting, 7).", valueName: "N"))
    var crlDays: Int?

    @Option(name: .customLong("time-zone"), help: ArgumentHelp("Time zone of the dates on the pages (IANA name; default: the authority's, set at init).", valueName: "TZ"))
    var timeZone: String?

    @Option(name: .customLong("index-shards"), help: ArgumentHelp("Shards of the upload check's hash index: 256, 4096 or 65536 (default: sized to the documents, at most 64 entries a shard on average). A change is an ordinary incremental publish.", valueName: "N"))
    var indexShards: Int?

    @Option(help: ArgumentHelp("Also copy the site into object storage, e.g. s3://verify-bucket/portal.", valueName: "s3://BUCKET/PREFIX"))
    var to: String?

    @Option(help: ArgumentHelp("S3-compatible service to use instead of AWS (e.g. http://127.0.0.1:8333 for SeaweedFS, or an R2 endpoint).", valueName: "URL"))
    var endpoint: String?

    @Option(help: ArgumentHelp("Region for request signing (default: AWS_REGION, the shared config, else us-east-1).", valueName: "REGION"))
    var region: String?

    func validate() throws {
        if let to, S3Target(to, region: "us-east-1") == nil {
            throw ValidationError("--to takes s3://BUCKET/PREFIX (a lower-case bucket name), not \"\(to)\"")
        }
        if let endpoint, URL(string: endpoint)?.host == nil {
            throw ValidationError("--endpoint takes a URL such as http://127.0.0.1:8333, not \"\(endpoint)\"")
        }
        if endpoint != nil && to == nil { throw ValidationError("--endpoint goes with --to") }
        if let indexShards, ![256, 4096, 65536].contains(indexShards) {
            throw ValidationError("--index-shards must be 256, 4096 or 65536")
        }
        if let crlDays, !(1...366).contains(crlDays) { throw ValidationError("--crl-days must be between 1 and 366") }
        if let timeZone, TimeZone(identifier: timeZone) == nil { throw ValidationError("--time-zone \(timeZone) is not a known time zone") }
    }

    func run() async throws {
        // Checked before anything is published.
        let bucket = try to.map { text -> S3Client in
            let region = region ?? SigV4.Credentials.region()
            let target = S3Target(text, endpoint: endpoint.flatMap(URL.init(string:)), region: region)!
            return S3Client(target: target, credentials: try SigV4.Credentials.fromEnvironment())
        }
        let authority = try global.openAuthority()
        let global = self.global
        var options = PublishOptions(site: URL(fileURLWithPath: site ?? authority.settings.siteDirectory))
        options.templates = templates.map { URL(fileURLWithPath: $0) }
        options.locale = locale
        options.privatePDFs = privatePDFs
        options.indexLayout = indexShards.flatMap { count in HashIndex.Layout.allCases.first { $0.shardCount == count } }
        options.crlValidityDays = crlDays ?? authority.settings.crlValidityDays
        options.timeZone = timeZone.flatMap(TimeZone.init(identifier:)) ?? authority.settings.zone
        // Exiting right after publishing: leave freeing to the exit (a copy to a bucket follows with the memory freed).
        options.releasesMemory = to != nil
        let progress = ProgressLine()
        options.progress = { progress.update($0) }
        let passphrase = PassphraseOnce { try global.passphrase() }
        let source = try authority.publishSource(passphrase: { try passphrase.get() })
        let summary: PublishSummary
        do {
            summary = try SitePublisher(source: source, options: options).publish()
        } catch {
            progress.finish()
            throw error
        }
        progress.finish()
        try report(summary, json: global.json)
        guard let bucket else { return }
        let copied: BucketPublisher.Summary
        let stop = StopFlag()
        let interrupt = stop.installInterruptHandler(
            note: "Stopping after the objects being uploaded… (Ctrl-C again to quit now; run the same command again to finish)")
        defer { interrupt.cancel() }
        do {
            copied = try BucketPublisher.publish(site: options.site, client: bucket, stop: { stop.isSet }) { done, total in
                progress.update(PublishProgress(step: "Copy to \(bucket.target)", completed: done, total: total))
            }
        } catch {
            progress.finish()
            throw error
        }
        progress.finish()
        if global.json {
            try Console.json(copied)
        } else {
            Console.note("Copied to \(copied.target): \(copied.uploaded) object(s) uploaded, \(copied.deleted) deleted, \(copied.unchanged) unchanged in \(String(format: "%.2f", copied.seconds)) s")
        }
    }
}
