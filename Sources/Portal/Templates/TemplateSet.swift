import Foundation
import Mustache
import PKI

/// The files a site is rendered from: the compiled-in defaults
/// (`DefaultTemplates`, generated from `templates/`) with any file of the
/// `--templates` folder replacing the default of the same relative path.
///
/// - `*.mustache`: pages and partials, registered under their path without
///   the extension (`token`, `header`, …);
/// - `locales/<id>.json`: the strings passed to every page as `t`;
/// - `assets/*` (except the node tests `*.test.mjs`) and `robots.txt`: copied
///   to the site as they are.
struct TemplateSet: Sendable {
    /// Relative path → bytes, defaults merged with overrides.
    let files: [String: Data]
    /// SHA-256 over every path and its bytes: a page rendered from a different
    /// set of templates is a different page even if its data did not change.
    let fingerprint: String
    /// True when every page template and partial is the default one.
    let defaultPages: Bool

    init(files: [String: Data], defaultPages: Bool = false) {
        self.files = files
        self.defaultPages = defaultPages
        var hasher = Data()
        for path in files.keys.sorted() {
            let bytes = files[path]!
            hasher.append(Data("\(path.utf8.count):\(path)\(bytes.count):".utf8))
            hasher.append(Digest.sha256(bytes))
        }
        fingerprint = Digest.hex(Digest.sha256(hasher))
    }

    /// The defaults, with the files of `overrides` (if given) replacing them.
    static func load(overrides: URL?) throws -> TemplateSet {
        var files: [String: Data] = [:]
        for (path, text) in DefaultTemplates.text { files[path] = Data(text.utf8) }
        for (path, base64) in DefaultTemplates.base64 {
            guard let data = Data(base64Encoded: base64) else {
                throw PortalError(.template, "the compiled-in default \(path) is not valid base64", path: path)
            }
            files[path] = data
        }
        var defaultPages = true
        if let overrides {
            for (path, data) in try readFolder(overrides) {
                if path.hasSuffix(".mustache") && files[path] != data { defaultPages = false }
                files[path] = data
            }
        }
        return TemplateSet(files: files, defaultPages: defaultPages)
    }

    /// Every regular file under `folder` (hidden ones skipped), by relative path.
    static func readFolder(_ folder: URL) throws -> [String: Data] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PortalError(.template, "the templates folder \(folder.path) does not exist", path: folder.path)
        }
        let root = folder.standardizedFileURL.resolvingSymlinksInPath()
        guard let enumerator = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) else {
            throw PortalError(.template, "cannot list the templates folder \(folder.path)", path: folder.path)
        }
        var files: [String: Data] = [:]
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let full = url.standardizedFileURL.resolvingSymlinksInPath().path
            guard full.hasPrefix(prefix) else { continue }
            let relative = String(full.dropFirst(prefix.count))
            do {
                files[relative] = try Data(contentsOf: url)
            } catch {
                throw PortalError(.template, "cannot read the template \(url.path)", path: url.path)
            }
        }
        return files
    }

    /// Parses every `*.mustache` file into one library, so pages can include
    /// any of them as a partial.
    func library() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        for (path, data) in files where path.hasSuffix(".mustache") {
            guard let text = String(data: data, encoding: .utf8) else {
                throw PortalError(.template, "the template \(path) is not UTF-8 text", path: path)
            }
            do {
                library.register(try MustacheTemplate(string: text), named: String(path.dropLast(".mustache".count)))
            } catch let error as MustacheTemplate.ParserError {
                throw PortalError(.template,
                    "the template \(path) does not parse at line \(error.context.lineNumber), column \(error.context.columnNumber): \(error.error)",
                    path: path)
            } catch {
                throw PortalError(.template, "the template \(path) does not parse: \(error)", path: path)
            }
        }
        for page in Self.pages where library.getTemplate(named: page) == nil {
            throw PortalError(.template, "the template \(page).mustache is missing", path: "\(page).mustache")
        }
        return library
    }

    /// The page templates the site needs.
    static let pages = ["index", "token", "verify", "stats", "notfound", "trust"]

    /// `locales/<locale>.json` as a flat string table.
    func strings(_ locale: PortalLocale) throws -> [String: String] {
        let path = "locales/\(locale.rawValue).json"
        guard let data = files[path] else {
            throw PortalError(.template, "the locale file \(path) is missing", path: path)
        }
        do {
            return try JSONDecoder().decode([String: String].self, from: data)
        } catch {
            throw PortalError(.template, "the locale file \(path) is not a JSON object of strings", path: path)
        }
    }

    /// Files copied to the site unchanged: `assets/…` (not the node tests) and `robots.txt`.
    var staticFiles: [(path: String, data: Data)] {
        files.filter { path, _ in
            (path.hasPrefix("assets/") && !path.hasSuffix(".test.mjs")) || path == "robots.txt"
        }
        .map { (path: $0.key, data: $0.value) }
        .sorted { $0.path < $1.path }
    }
}
