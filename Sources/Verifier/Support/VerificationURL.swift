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
            let readings = split(uri)
            guard let first = readings.first else { continue }
            guard let siteURL else { return .token(first.address, url: uri) }
            guard let reading = readings.first(where: { $0.prefix == siteURL }) else {
                foreign = foreign ?? uri
                continue
            }
            return .token(reading.address, url: uri)
        }
        if let foreign { return .otherSite(foreign) }
        return .absent
    }

    /// The readings of `https://host/path/v/<f>/<token>/` as a prefix and a
    /// document's address (`DocumentAddress.split`) with a well-formed token
    /// and an http(s) prefix.
    static func split(_ uri: String) -> [(prefix: String, address: DocumentAddress)] {
        DocumentAddress.split(verificationURL: uri).filter { prefix, address in
            guard isWellFormedToken(address.token), let url = URL(string: prefix), let scheme = url.scheme?.lowercased(),
                  scheme == "https" || scheme == "http", url.host != nil else { return false }
            return true
        }
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
