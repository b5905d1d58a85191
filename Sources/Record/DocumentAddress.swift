/// Where one document's files sit in the published site, and the one rule
/// that reads it from the verification URL its QR code and certificate name.
///
/// ```
/// sharded (documents signed from 0.6 on)      flat (before 0.6; never moved)
/// v/<f>/<token>/index.html                    v/<token>/index.html
/// <lang>/v/<f>/<token>/index.html             <lang>/v/<token>/index.html
/// api/verify/<f>/<token>.json                 api/verify/<token>.json
/// cert/<f>/<token>.crt                        cert/<token>.crt
/// d/<f>/<token>.pdf                           d/<token>.pdf
/// ```
///
/// `<f>` is the token's first character in lower case: at most 38 folders
/// (a–z, 0–9, `-`, `_`), so a million random tokens put at most about 31,000
/// entries in one (a letter and its capital: 2 in 64), below the 50,000 some
/// hosts allow, while a small site gains a few dozen folders rather than
/// thousands; and folders differing only in case never meet on a
/// case-insensitive file system. A document's layout
/// is the shape of its verification URL (`<base>/v/<f>/<token>/` or
/// `<base>/v/<token>/`): an address once printed never changes.
public struct DocumentAddress: Sendable, Hashable {
    public enum Layout: Sendable, Hashable {
        case flat
        case sharded
    }

    public let token: String
    public let layout: Layout
    /// The folders a token's files sit in, relative to `v/`, `api/verify/`,
    /// `cert/` and `d/`: "<f>/" or "" (worked out once: a publish asks for
    /// five paths of each of thousands of documents).
    private let folderPath: String

    public init(token: String, layout: Layout) {
        self.token = token
        self.layout = layout
        folderPath = layout == .sharded ? Self.folder(of: token) + "/" : ""
    }

    /// The folder a sharded token's files sit in.
    public static func folder(of token: String) -> String {
        let bytes = token.utf8
        // An ASCII character not followed by a combining one (tokens are base64url): lowered as a byte.
        if let first = bytes.first, first < 0x80, first != 0x0D,
           bytes.count == 1 || bytes[bytes.index(after: bytes.startIndex)] < 0x80 {
            return String(UnicodeScalar((0x41...0x5A).contains(first) ? first + 0x20 : first))
        }
        return String(token.prefix(1)).lowercased()
    }

    /// The document's page under its language's root, with the trailing slash: `v/<f>/<token>/`.
    public var page: String { "v/\(folderPath)\(token)/" }
    /// The page file: `v/<f>/<token>/index.html`.
    public var pageFile: String { page + "index.html" }
    /// The way from the page back to its language's root: `../../../` (`../../` when flat).
    public var pageRoot: String { layout == .sharded ? "../../../" : "../../" }
    /// The published record: `api/verify/<f>/<token>.json`.
    public var record: String { "api/verify/\(folderPath)\(token).json" }
    /// The leaf certificate (DER): `cert/<f>/<token>.crt`.
    public var certificate: String { "cert/\(folderPath)\(token).crt" }
    /// The signed PDF: `d/<f>/<token>.pdf`.
    public var pdf: String { "d/\(folderPath)\(token).pdf" }

    /// The ways a verification URL `<prefix>/v/<f>/<token>/` or
    /// `<prefix>/v/<token>/` splits into a prefix (the site's base URL) and
    /// the document's address, the sharded reading first; empty for any other
    /// shape. Both readings exist only when the token starts with `v` or `V`
    /// (`…/v/v/vXy…/`): the caller who knows the site's base URL picks by
    /// prefix. The token is not checked here beyond not being empty: callers
    /// that take it from untrusted bytes check its characters.
    public static func split(verificationURL url: String) -> [(prefix: String, address: DocumentAddress)] {
        guard url.hasSuffix("/") else { return [] }
        let parts = url.dropLast().split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3, let token = parts.last, !token.isEmpty else { return [] }
        var readings: [(prefix: String, address: DocumentAddress)] = []
        let before = parts[parts.count - 2]
        if parts.count >= 4, parts[parts.count - 3] == "v", before == folder(of: String(token)) {
            readings.append((parts.dropLast(3).joined(separator: "/"), DocumentAddress(token: String(token), layout: .sharded)))
        }
        if before == "v" {
            readings.append((parts.dropLast(2).joined(separator: "/"), DocumentAddress(token: String(token), layout: .flat)))
        }
        return readings
    }

    /// The address of a document whose verification URL is `url` on the
    /// site `baseURL`; the flat layout when the registry has no URL
    /// (documents signed before URLs were kept) or the URL has neither shape.
    public init(token: String, verificationURL url: String?, baseURL: String) {
        // The usual case, without splitting: the URL is this site's own address of the token.
        for layout in [Layout.sharded, .flat] {
            let address = DocumentAddress(token: token, layout: layout)
            if let url, url.utf8.count == baseURL.utf8.count + 1 + address.page.utf8.count,
               url == baseURL + "/" + address.page {
                self = address
                return
            }
        }
        let readings = url.map(Self.split(verificationURL:))?.filter { $0.address.token == token } ?? []
        if let reading = readings.first(where: { $0.prefix == baseURL }) ?? readings.first {
            self = reading.address
        } else {
            self.init(token: token, layout: .flat)
        }
    }
}
