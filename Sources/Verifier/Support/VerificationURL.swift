import Foundation

/// The verification URL an authority certificate carries in its
/// subjectAltName (RFC 5280 §4.2.1.6): `<site_url>/v/<token>/`. The token is
/// read from there — signed data — and never from the file's unsigned bytes.
enum VerificationURL {
    enum Outcome: Equatable {
        case token(String, url: String)
        /// No URI has the `/v/<token>/` shape.
        case absent
        /// URIs have the shape, but none is on the expected site.
        case otherSite(String)
    }

    /// The first URI of the form `<prefix>/v/<token>/`, with `prefix` equal to
    /// `siteURL` when one is known.
    static func find(in uris: [String], siteURL: String?) -> Outcome {
        var foreign: String?
        for uri in uris {
            guard let (prefix, token) = split(uri) else { continue }
            if let siteURL, prefix != siteURL {
                foreign = foreign ?? uri
                continue
            }
            return .token(token, url: uri)
        }
        if let foreign { return .otherSite(foreign) }
        return .absent
    }

    /// Splits `https://host/path/v/<token>/` into the prefix and the token.
    static func split(_ uri: String) -> (prefix: String, token: String)? {
        guard uri.hasSuffix("/"), let marker = uri.range(of: "/v/", options: .backwards) else { return nil }
        let token = String(uri[marker.upperBound..<uri.index(before: uri.endIndex)])
        let prefix = String(uri[..<marker.lowerBound])
        guard isWellFormedToken(token), let url = URL(string: prefix), let scheme = url.scheme?.lowercased(),
              scheme == "https" || scheme == "http", url.host != nil else { return nil }
        return (prefix, token)
    }

    /// URL-safe base64 characters only (so a token can never name another
    /// path), 16 to 128 of them (segel's tokens carry at least 128 bits).
    static func isWellFormedToken(_ token: String) -> Bool {
        let utf8 = token.utf8
        guard (16...128).contains(utf8.count) else { return false }
        return utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"): true
            default: false
            }
        }
    }
}
