import Foundation

/// The verification URL an authority certificate carries in its
/// subjectAltName (RFC 5280 §4.2.1.6): `<site_url>/v/<f>/<token>/` (or
/// `<site_url>/v/<token>/` before 0.6; `DocumentAddress`). The token is read
/// from there — signed data — and never from the file's unsigned bytes.
enum VerificationURL {
    enum Outcome: Equatable {
        case token(DocumentAddress, url: String)
        /// No URI has the `/v/<f>/<token>/` or `/v/<token>/` shape.
        case absent
        /// URIs have the shape, but none is on the expected site.
        case otherSite(String)
    }

    /// The first URI of a document address's form, with `prefix` equal to
    /// `siteURL` when one is known.
    static func find(in uris: [String], siteURL: String?) -> Outcome {
        var foreign: String?
        for uri in uris {
            guard let (prefix, address) = split(uri) else { continue }
            if let siteURL, prefix != siteURL {
                foreign = foreign ?? uri
                continue
            }
            return .token(address, url: uri)
        }
        if let foreign { return .otherSite(foreign) }
        return .absent
    }

    /// Splits `https://host/path/v/<f>/<token>/` into the prefix and the document's address.
    static func split(_ uri: String) -> (prefix: String, address: DocumentAddress)? {
        guard let (prefix, address) = DocumentAddress.split(verificationURL: uri) else { return nil }
        guard isWellFormedToken(address.token), let url = URL(string: prefix), let scheme = url.scheme?.lowercased(),
              scheme == "https" || scheme == "http", url.host != nil else { return nil }
        return (prefix, address)
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
