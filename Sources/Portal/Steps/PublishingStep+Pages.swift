import Foundation
import Record

extension PublishingStep {
    /// `index.html`, `verify/index.html`, `trust/index.html`, `stats/index.html`,
    /// `api/statistics.json` and `404.html`, all "as of" the latest registry
    /// change: rendered on another core while the documents are planned
    /// (`startSitePages`, once the templates are loaded), collected here.
    static let renderSitePages = PublishingStep("Render the site pages") { context in
        guard let pending = context.pendingSitePages else { return }
        for (path, data) in try pending.wait() { context.plan(path, data: data) }
    }

    /// Starts rendering the site pages; they need only the templates, the documents and the CAs.
    static func startSitePages(_ context: PublishingContext) {
        let asOf = context.asOf, renderers = context.renderers, documents = context.summaries
        let authorities = context.source.authorities, baseURL = context.baseURL
        context.pendingSitePages = Pending {
            var files: [(String, Data)] = []
            for renderer in renderers {
                let prefix = renderer.prefix
                files.append((prefix + "index.html",
                              try renderer.page("index", root: "./", asOf: asOf, path: prefix + "index.html")))
                files.append((prefix + "verify/index.html",
                              try renderer.page("verify", root: "../", asOf: asOf, path: prefix + "verify/index.html",
                                                pagePath: "verify/")))
                // What Acrobat and Foxit show, and how to trust each CA there.
                let cas = authorities.map { authority -> [String: Any] in
                    ["name": HTMLText.guarded(authority.certificate.subject.commonName ?? authority.certificate.subject.string),
                     "fingerprint": authority.certificate.sha256Fingerprint,
                     "crt_href": CAFiles(generation: authority.generation).certificateDER,
                     "not_after": renderer.dates.dateTime(authority.certificate.notAfter)]
                }
                files.append((prefix + "trust/index.html",
                              try renderer.page("trust", root: "../", asOf: asOf, path: prefix + "trust/index.html",
                                                pagePath: "trust/", extra: ["cas": cas])))
                let statistics = PublicStatistics(documents: documents, asOf: asOf, dates: renderer.dates)
                files.append((prefix + "stats/index.html", try renderer.statisticsPage(statistics, asOf: asOf)))
                if prefix.isEmpty { files.append(("api/statistics.json", try PortalJSON.encode(statistics))) }
            }
            // Hosts serve 404.html at any missing address, so its links start from the site's absolute path.
            files.append(("404.html", try renderers[0].page("notfound", root: absoluteRoot(baseURL),
                                                             asOf: asOf, path: "404.html")))
            return files
        }
    }

    /// Copies `assets/…` and `robots.txt` from the templates.
    static let copyStaticFiles = PublishingStep("Copy assets") { context in
        for file in context.templates.staticFiles {
            context.plan(file.path, data: file.data)
        }
        // GitHub Pages runs Jekyll on a pushed folder unless this file is
        // there, and Jekyll drops every name starting with "_": the folders
        // of the tokens that do (1 in 63) would then be missing.
        context.plan(".nojekyll", data: Data())
    }

    /// The path of the base URL, always ending in "/": "/" or "/portal/".
    static func absoluteRoot(_ baseURL: String) -> String {
        var path = URLComponents(string: baseURL)?.percentEncodedPath ?? ""
        if !path.hasPrefix("/") { path = "/" + path }
        if !path.hasSuffix("/") { path += "/" }
        return path
    }
}
