import ArgumentParser
import Authority
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import IssuanceLog
import Verifier

struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "The public issuance log; `log verify` is the monitor's check.",
        subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a published issuance log: checkpoint signature, every tile and entry, the root.",
            discussion: """
            Reads <site>/log/ (a folder or an http(s) URL): verifies the checkpoint's Ed25519 signature, \
            recomputes every hash tile and the root hash from the entry bundles, and, with --since, \
            checks that the log extends an earlier checkpoint (a consistency proof), so that a log that \
            was rolled back or forked is caught. The verifier key comes from --vkey, else from the \
            site's trust.json (pin it with --vkey to check a site you do not trust). Exit 0 when every \
            check holds, 1 naming the first file at fault, 3 on usage or I/O errors.
            """)

        @Flag(name: .long, help: "Print machine-readable JSON on stdout.")
        var json = false

        @Option(help: ArgumentHelp("The published site: a folder or an http(s) URL.", valueName: "DIR|URL"))
        var site: String

        @Option(help: ArgumentHelp("An earlier checkpoint (a file) the log must extend.", valueName: "CHECKPOINT"))
        var since: String?

        @Option(help: ArgumentHelp("The log's verifier key (<name>+<id>+<key>); default: trust.json's log_vkey.", valueName: "VKEY"))
        var vkey: String?

        func run() async throws {
            let fetch = try SiteFetcher(site)
            let vkeyText: String
            if let vkey {
                vkeyText = vkey
            } else {
                guard let data = try fetch.get("trust.json"),
                      let store = try? TrustStore.decode(data, path: "trust.json"), let published = store.logVKey else {
                    throw AuthorityError(.usage, "\(site) names no issuance log key in trust.json; pass --vkey")
                }
                vkeyText = published
            }
            guard let verifier = VerifierKey(vkeyText) else {
                throw AuthorityError(.usage, "the verifier key \(vkeyText) is not an Ed25519 note verifier key (<name>+<id>+<key>)")
            }
            var earlier: String?
            if let since {
                guard let text = try? String(contentsOfFile: since, encoding: .utf8) else {
                    throw AuthorityError(.io, "cannot read the earlier checkpoint \(since)")
                }
                earlier = text
            }
            do {
                let report = try LogMonitor.verify(fetch: { try fetch.get("log/" + $0) }, verifier: verifier, since: earlier)
                if json {
                    try Console.json(report)
                } else {
                    let extends = report.consistentWith.map { "; it extends the earlier checkpoint of \($0) entries" } ?? ""
                    Console.out("log ✓ \(report.origin): \(report.treeSize) entries, checkpoint signature verified, root recomputed from \(report.tiles) tile(s)\(extends)")
                }
            } catch let failure as LogMonitor.Failure {
                Console.note("segel: log ✗ \(failure.description)")
                throw ExitCode(ExitStatus.refused)
            }
        }
    }
}

/// Reads files of a published site from a folder or over HTTP(S).
struct SiteFetcher {
    let base: URL
    let remote: Bool

    init(_ site: String) throws {
        if let url = URL(string: site), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" {
            base = site.hasSuffix("/") ? url : URL(string: site + "/")!
            remote = true
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: site, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw AuthorityError(.usage, "--site \(site) is neither a folder nor an http(s) URL")
            }
            base = URL(fileURLWithPath: site, isDirectory: true)
            remote = false
        }
    }

    /// The most a file at `path` can hold: a hash tile 8,192 bytes, an entry
    /// bundle 256 × 65,537, a checkpoint a few lines, trust.json a few CAs.
    static func limit(for path: String) -> Int {
        if path.hasPrefix("log/tile/entries/") { return 256 * 65_537 }
        if path.hasPrefix("log/tile/") { return 8_192 }
        if path == "log/checkpoint" { return 64 << 10 }
        return 16 << 20
    }

    /// The file at `path` under the site; nil when it does not exist (404).
    func get(_ path: String) throws -> Data? {
        let url = base.appendingPathComponent(path)
        let limit = Self.limit(for: path)
        if !remote {
            guard FileManager.default.fileExists(atPath: url.path) else { return nil }
            if let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber,
               size.int64Value > limit {
                throw AuthorityError(.io, "\(url.path) is larger than any file of a published log")
            }
            do {
                return try Data(contentsOf: url)
            } catch {
                throw AuthorityError(.io, "cannot read \(url.path)")
            }
        }
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.cachePolicy = .reloadIgnoringLocalCacheData
        let download = BoundedDownload(limit: limit)
        let session = URLSession(configuration: .ephemeral, delegate: download, delegateQueue: nil)
        defer { session.invalidateAndCancel() }
        session.dataTask(with: request).resume()
        download.done.wait()
        if download.tooLarge {
            throw AuthorityError(.io, "\(url.absoluteString) is larger than any file of a published log")
        }
        if let error = download.error {
            throw AuthorityError(.io, "cannot fetch \(url.absoluteString): \(error.localizedDescription)")
        }
        if download.status == 404 { return nil }
        guard download.status == 200 else {
            throw AuthorityError(.io, "fetching \(url.absoluteString) gave HTTP \(download.status)")
        }
        return download.data
    }
}

/// One HTTP download that stops as soon as it passes `limit` bytes, so a
/// hostile server cannot make the monitor hold more than that.
private final class BoundedDownload: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let limit: Int
    let done = DispatchSemaphore(value: 0)
    // The delegate's calls come one at a time on the session's serial queue.
    private(set) var data = Data()
    private(set) var status = 0
    private(set) var tooLarge = false
    private(set) var error: Error?

    init(limit: Int) {
        self.limit = limit
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        status = (response as? HTTPURLResponse)?.statusCode ?? 0
        if response.expectedContentLength > Int64(limit) {
            stop()
            completionHandler(.cancel)
            return
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive chunk: Data) {
        if tooLarge { return }
        data.append(chunk)
        if data.count > limit {
            stop()
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        if tooLarge { return }
        self.error = error
        done.signal()
    }

    /// Too large: the waiting caller goes on at once, whatever the connection still does.
    private func stop() {
        guard !tooLarge else { return }
        tooLarge = true
        data = Data()
        done.signal()
    }
}
