import Foundation
import Hashing

/// AWS Signature Version 4 (the "Authorization" header of every S3 request):
/// a canonical request, the string to sign, a key derived by four HMAC-SHA256
/// steps from the secret, and the signature over the string. Tested against
/// AWS's published test vectors (SigV4Tests). Payloads are hashed by the
/// caller (`x-amz-content-sha256` for S3).
public struct SigV4: Sendable {
    public struct Credentials: Sendable, Hashable {
        public var accessKeyID: String
        public var secretAccessKey: String
        public var sessionToken: String?

        public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
            self.accessKeyID = accessKeyID
            self.secretAccessKey = secretAccessKey
            self.sessionToken = sessionToken
        }
    }

    public var credentials: Credentials
    public var region: String
    public var service: String

    public init(credentials: Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// `YYYYMMDD'T'HHMMSS'Z'`.
    public static func amzDate(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    /// RFC 3986 percent-encoding of everything but unreserved characters
    /// (and `/` in paths), as SigV4's canonical URI and query require.
    public static func encode(_ text: String, keepSlash: Bool) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                 UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(byte)))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// The headers to add to a request (`x-amz-date`, the session token when
    /// there is one, and `Authorization`). `headers` must include `host` and
    /// every other header to sign; `path` is already URI-encoded; `query`
    /// holds raw names and values; `payloadSHA256` is the hex hash of the body
    /// (or "UNSIGNED-PAYLOAD").
    public func sign(method: String, path: String, query: [(String, String)] = [], headers: [String: String],
                     payloadSHA256: String, date: Date) -> [String: String] {
        let amzDate = Self.amzDate(date)
        let day = String(amzDate.prefix(8))
        var all: [String: String] = [:]
        for (name, value) in headers { all[name.lowercased()] = value }
        all["x-amz-date"] = amzDate
        if let token = credentials.sessionToken { all["x-amz-security-token"] = token }
        let names = all.keys.sorted()
        let canonicalHeaders = names.map { name -> String in
            // Values trimmed, inner runs of spaces collapsed (SigV4 "Trimall").
            let value = all[name]!.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            return "\(name):\(value)\n"
        }.joined()
        let signedHeaders = names.joined(separator: ";")
        var pairs: [(name: String, value: String)] = []
        for (name, value) in query {
            pairs.append((Self.encode(name, keepSlash: false), Self.encode(value, keepSlash: false)))
        }
        pairs.sort { left, right in left.name == right.name ? left.value < right.value : left.name < right.name }
        let canonicalQuery = pairs.map { pair in pair.name + "=" + pair.value }.joined(separator: "&")
        let canonicalRequest = [method, path.isEmpty ? "/" : path, canonicalQuery, canonicalHeaders, signedHeaders,
                                payloadSHA256].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope,
                            Digest.hex(Digest.sha256(Data(canonicalRequest.utf8)))].joined(separator: "\n")
        var key = HMAC.sha256(key: Data("AWS4\(credentials.secretAccessKey)".utf8), day)
        key = HMAC.sha256(key: key, region)
        key = HMAC.sha256(key: key, service)
        key = HMAC.sha256(key: key, "aws4_request")
        let signature = Digest.hex(HMAC.sha256(key: key, stringToSign))
        var added: [String: String] = ["x-amz-date": amzDate]
        if let token = credentials.sessionToken { added["x-amz-security-token"] = token }
        added["Authorization"] = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return added
    }
}
