import Foundation

extension PublishingStep {
    /// `index.html`, `verify/index.html`, `stats/index.html`,
    /// `api/statistics.json` and `404.html`, all "as of" the latest registry change.
    static let renderSitePages = PublishingStep("Render the site pages") { context in
        let renderer = context.renderer!
        let asOf = context.asOf
        context.plan("index.html", data: try renderer.page("index", root: "./", asOf: asOf, path: "index.html"))
        context.plan("verify/index.html",
                     data: try renderer.page("verify", root: "../", asOf: asOf, path: "verify/index.html"))
        // Hosts serve 404.html at any missing address, so its links start from the site's absolute path.
        context.plan("404.html", data: try renderer.page("notfound", root: absoluteRoot(context.baseURL),
                                                         asOf: asOf, path: "404.html"))
        let statistics = PublicStatistics(documents: context.documents, asOf: asOf, dates: renderer.dates)
        context.plan("stats/index.html", data: try renderer.statisticsPage(statistics, asOf: asOf))
        context.plan("api/statistics.json", data: try PortalJSON.encode(statistics))
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
