import Foundation
import Record

extension PublishingStep {
    /// `index.html`, `verify/index.html`, `stats/index.html`,
    /// `api/statistics.json` and `404.html`, all "as of" the latest registry change.
    static let renderSitePages = PublishingStep("Render the site pages") { context in
        let asOf = context.asOf
        for renderer in context.renderers {
            let prefix = renderer.prefix
            context.plan(prefix + "index.html",
                         data: try renderer.page("index", root: "./", asOf: asOf, path: prefix + "index.html"))
            context.plan(prefix + "verify/index.html",
                         data: try renderer.page("verify", root: "../", asOf: asOf, path: prefix + "verify/index.html",
                                                 pagePath: "verify/"))
            // What Acrobat and Foxit show, and how to trust each CA there.
            let cas = context.source.authorities.map { authority -> [String: Any] in
                ["name": HTMLText.guarded(authority.certificate.subject.commonName ?? authority.certificate.subject.string),
                 "fingerprint": authority.certificate.sha256Fingerprint,
                 "crt_href": CAFiles(generation: authority.generation).certificateDER,
                 "not_after": renderer.dates.dateTime(authority.certificate.notAfter)]
            }
            context.plan(prefix + "trust/index.html",
                         data: try renderer.page("trust", root: "../", asOf: asOf, path: prefix + "trust/index.html",
                                                 pagePath: "trust/", extra: ["cas": cas]))
            let statistics = PublicStatistics(documents: context.documents, asOf: asOf, dates: renderer.dates)
            context.plan(prefix + "stats/index.html", data: try renderer.statisticsPage(statistics, asOf: asOf))
            if prefix.isEmpty { context.plan("api/statistics.json", data: try PortalJSON.encode(statistics)) }
        }
        // Hosts serve 404.html at any missing address, so its links start from the site's absolute path.
        context.plan("404.html", data: try context.renderer.page("notfound", root: absoluteRoot(context.baseURL),
                                                                 asOf: asOf, path: "404.html"))
    }

    /// Copies `assets/…` and `robots.txt` from the templates.
    static let copyStaticFiles = PublishingStep("Copy assets") { context in
        for file in context.templates.staticFiles {
            context.plan(file.path, data: file.data)
        }
    }

    /// The path of the base URL, always ending in "/": "/" or "/portal/".
    static func absoluteRoot(_ baseURL: String) -> String {
        var path = URLComponents(string: baseURL)?.percentEncodedPath ?? ""
        if !path.hasPrefix("/") { path = "/" + path }
        if !path.hasSuffix("/") { path += "/" }
        return path
    }
}
