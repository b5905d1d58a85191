import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hashing

/// Where a site goes: `s3://BUCKET/PREFIX`, on AWS or any S3-compatible
/// service (`--endpoint`, path-style addressing).
public struct S3Target: Sendable, Hashable, CustomStringConvertible {
    public var bucket: String
    /// Key prefix without leading or trailing slash ("" for the bucket's root).
    public var prefix: String
    public var endpoint: URL?
    public var region: String

    /// Parses `s3://BUCKET[/PREFIX]`; nil when it is not that form.
    public init?(_ text: String, endpoint: URL? = nil, region: String) {
        guard text.hasPrefix("s3://") else { return nil }
        let rest = text.dropFirst(5)
        let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bucket = parts.first, !bucket.isEmpty,
              bucket.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" || $0 == "." }) else { return nil }
        self.bucket = String(bucket)
        var prefix = parts.count > 1 ? String(parts[1]) : ""
        while prefix.hasSuffix("/") { prefix.removeLast() }
        while prefix.hasPrefix("/") { prefix.removeFirst() }
        self.prefix = prefix
        self.endpoint = endpoint
        self.region = region
    }

    /// The object key of a site path.
    public func key(_ path: String) -> String { prefix.isEmpty ? path : "\(prefix)/\(path)" }

    public var description: String { prefix.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(prefix)" }
}

/// One error type for the object store: what failed, in one sentence.
public struct ObjectStoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable { case preconditionFailed, http, network, configuration }
    public var code: Code
    public var message: String
    public var description: String { message }

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// The requests segel needs, signed with SigV4: PUT (optionally conditional:
/// `If-Match` an ETag, or `If-None-Match: *`), GET and DELETE.
/// Each request has a timeout and is retried with jittered backoff (or after
/// the `Retry-After` the service asked for) on network errors and transient
/// answers (`isTransient`); a 412 (precondition failed) is never retried.
public final class S3Client: @unchecked Sendable {
    public let target: S3Target
    let signer: SigV4
    let session: URLSession
    public var attempts = 6
    public var timeout: TimeInterval = 30
    /// When set, no unconditional request is sent (or sent again) after the
    /// time it returns: a publisher's lease on the bucket's lock ends then,
    /// and another run may have taken over. Conditional writes (`If-Match`,
    /// `If-None-Match`) still go, since the service itself refuses them then.
    public var deadline: (@Sendable () -> Date?)?

    public init(target: S3Target, credentials: SigV4.Credentials) {
        self.target = target
        signer = SigV4(credentials: credentials, region: target.region, service: "s3")
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 16
        configuration.urlCache = nil
        session = URLSession(configuration: configuration)
    }

    public struct Response: Sendable {
        public var status: Int
        public var body: Data
        public var etag: String?
        /// Seconds the service asked to wait before asking again (`Retry-After`).
        public var retryAfter: TimeInterval?
        /// The `Date` (the service's clock when it answered) and `Last-Modified` headers, as sent.
        public var date: String?
        public var lastModified: String?
        /// How many times the request was sent (more than 1 after a network error or a transient answer).
        public var attempts = 1
    }

    /// An object as GET returns it.
    public struct Object: Sendable {
        public var data: Data
        public var etag: String?
        /// When the object was last written, and the time the answer was
        /// given, both by the service's clock (so they compare without the
        /// skew between machines).
        public var lastModified: Date?
        public var serverDate: Date?
    }

    /// The URL of `key`: path-style with an endpoint, and on AWS for bucket
    /// names with dots (whose virtual host would not match the certificate);
    /// virtual-hosted on AWS otherwise.
    func url(key: String, query: [(String, String)] = []) -> (URL, path: String) {
        let encodedKey = SigV4.encode(key, keepSlash: true)
        var components: URLComponents
        var path: String
        if let endpoint = target.endpoint {
            components = URLComponents(url: endpoint, resolvingAgainstBaseURL: false)!
            let base = components.percentEncodedPath.hasSuffix("/") ? String(components.percentEncodedPath.dropLast())
                : components.percentEncodedPath
            path = "\(base)/\(target.bucket)" + (encodedKey.isEmpty ? "/" : "/\(encodedKey)")
        } else if target.bucket.contains(".") {
            components = URLComponents()
            components.scheme = "https"
            components.host = "s3.\(target.region).amazonaws.com"
            path = "/\(target.bucket)/\(encodedKey)"
        } else {
            components = URLComponents()
            components.scheme = "https"
            components.host = "\(target.bucket).s3.\(target.region).amazonaws.com"
            path = "/\(encodedKey)"
        }
        components.percentEncodedPath = path
        if !query.isEmpty {
            components.percentEncodedQuery = query.map { "\(SigV4.encode($0.0, keepSlash: false))=\(SigV4.encode($0.1, keepSlash: false))" }
                .joined(separator: "&")
        }
        return (components.url!, path)
    }

    public func request(_ method: String, key: String, query: [(String, String)] = [], body: Data = Data(),
                        headers extra: [String: String] = [:]) throws -> Response {
        var lastProblem = ""
        let conditional = extra["if-match"] != nil || extra["if-none-match"] != nil
        for attempt in 1...attempts {
            if !conditional, let deadline = deadline?(), Date() >= deadline {
                throw ObjectStoreError(.network, "\(method) s3://\(target.bucket)/\(key) was not sent: this run's lease on the bucket's lock ran out (\(lastProblem.isEmpty ? "no renewal in time" : lastProblem))")
            }
            var wait: TimeInterval?
            do {
                var response = try once(method, key: key, query: query, body: body, headers: extra)
                response.attempts = attempt
                guard Self.isTransient(response, conditional: conditional) else {
                    return response
                }
                lastProblem = "HTTP \(response.status): \(Self.message(response.body))"
                wait = response.retryAfter
            } catch let error as ObjectStoreError where error.code == .network {
                lastProblem = error.message
            }
            if attempt < attempts { Thread.sleep(forTimeInterval: wait.map { min($0, 60) } ?? Self.backoff(attempt: attempt)) }
        }
        throw ObjectStoreError(.network, "\(method) s3://\(target.bucket)/\(key) failed after \(attempts) attempts (\(lastProblem))")
    }

    /// Worth asking again: 5xx, 429 (SlowDown), S3's `400 RequestTimeout`
    /// (the upload was too slow), and, for a conditional request, AWS's
    /// `409 ConditionalRequestConflict` (another conditional write to the
    /// same key was under way: asked again, it ends in a 412 or a success).
    static func isTransient(_ response: Response, conditional: Bool) -> Bool {
        switch response.status {
        case 429, 500...599: true
        case 400: errorCode(response.body) == "RequestTimeout"
        case 409: conditional && errorCode(response.body) == "ConditionalRequestConflict"
        default: false
        }
    }

    /// Exponential backoff with jitter: about 0.5, 1, 2, 4, 8 s (each between
    /// half and all of it, so that parallel uploads do not retry in step), at
    /// most 20 s.
    static func backoff(attempt: Int) -> TimeInterval {
        let full = min(20, 0.5 * Double(1 << min(attempt - 1, 10)))
        return full * Double.random(in: 0.5...1)
    }

    private final class Box: @unchecked Sendable {
        var result: Result<Response, ObjectStoreError> = .failure(ObjectStoreError(.network, "no answer"))
    }

    private func once(_ method: String, key: String, query: [(String, String)], body: Data,
                      headers extra: [String: String]) throws -> Response {
        let (url, path) = url(key: key, query: query)
        var headers = extra
        // The Host header as the HTTP client sends it: no port when it is the scheme's default.
        var host = url.host ?? ""
        if let port = url.port, !(url.scheme == "https" && port == 443), !(url.scheme == "http" && port == 80) {
            host += ":\(port)"
        }
        headers["host"] = host
        let payload = Digest.hex(Digest.sha256(body))
        headers["x-amz-content-sha256"] = payload
        for (name, value) in signer.sign(method: method, path: path, query: query, headers: headers,
                                         payloadSHA256: payload, date: Date()) {
            headers[name] = value
        }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = method
        for (name, value) in headers where name != "host" { request.setValue(value, forHTTPHeaderField: name) }
        if method == "PUT" { request.httpBody = body }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            defer { done.signal() }
            if let error {
                box.result = .failure(ObjectStoreError(.network, error.localizedDescription))
                return
            }
            guard let http = response as? HTTPURLResponse else {
                box.result = .failure(ObjectStoreError(.network, "not an HTTP answer"))
                return
            }
            let etag = http.value(forHTTPHeaderField: "ETag")
            let retryAfter = http.value(forHTTPHeaderField: "Retry-After").flatMap(TimeInterval.init)
            box.result = .success(Response(status: http.statusCode, body: data ?? Data(), etag: etag, retryAfter: retryAfter,
                                           date: http.value(forHTTPHeaderField: "Date"),
                                           lastModified: http.value(forHTTPHeaderField: "Last-Modified")))
        }
        task.resume()
        // `timeout` is the most time without progress (URLRequest's idle
        // timeout); the whole exchange may take longer for a large body, up
        // to what 32 KB/s would need.
        let limit = timeout + 5 + Double(body.count) / 32_768 + (method == "GET" ? 10 * timeout : 0)
        if done.wait(timeout: .now() + limit) == .timedOut {
            task.cancel()
            throw ObjectStoreError(.network, "no answer within \(Int(limit)) s")
        }
        return try box.result.get()
    }

    /// Uploads `data`; `ifMatch` an ETag, or `ifNoneMatch` (create only).
    /// Returns the new object's ETag.
    @discardableResult
    public func put(_ key: String, _ data: Data, contentType: String, cacheControl: String? = nil,
                    ifMatch: String? = nil, ifNoneMatch: Bool = false) throws -> String? {
        var headers = ["content-type": contentType]
        if let cacheControl { headers["cache-control"] = cacheControl }
        if let ifMatch { headers["if-match"] = ifMatch }
        if ifNoneMatch { headers["if-none-match"] = "*" }
        let response = try request("PUT", key: target.key(key), body: data, headers: headers)
        // A 404 to If-Match: the object is gone, which fails the precondition as surely.
        if response.status == 412 || (response.status == 404 && ifMatch != nil) {
            // Sent more than once: the first may have been written and only its
            // answer lost, so the precondition now fails against this run's own
            // write. The object holding exactly these bytes means it was.
            if response.attempts > 1, let current = try get(key), current.data == data {
                return current.etag
            }
            throw ObjectStoreError(.preconditionFailed, "\(target)/\(key) changed meanwhile (precondition failed)")
        }
        guard (200..<300).contains(response.status) else {
            throw ObjectStoreError(.http, "PUT \(target)/\(key) answered HTTP \(response.status): \(Self.message(response.body))")
        }
        return response.etag
    }

    /// The object, nil when there is none.
    public func get(_ key: String) throws -> Object? {
        let response = try request("GET", key: target.key(key))
        if response.status == 404 { return nil }
        guard response.status == 200 else {
            throw ObjectStoreError(.http, "GET \(target)/\(key) answered HTTP \(response.status): \(Self.message(response.body))")
        }
        return Object(data: response.body, etag: response.etag, lastModified: response.lastModified.flatMap(Self.httpDate),
                      serverDate: response.date.flatMap(Self.httpDate))
    }

    /// An HTTP date (RFC 9110's IMF-fixdate, e.g. `Mon, 07 Dec 2026 14:10:00 GMT`).
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }

    public func delete(_ key: String) throws {
        let response = try request("DELETE", key: target.key(key))
        guard (200..<300).contains(response.status) || response.status == 404 else {
            throw ObjectStoreError(.http, "DELETE \(target)/\(key) answered HTTP \(response.status): \(Self.message(response.body))")
        }
    }

    /// The `<Message>` of an S3 error answer, or its first bytes.
    static func message(_ body: Data) -> String {
        element("Message", in: body) ?? String(String(decoding: body.prefix(200), as: UTF8.self))
    }

    /// The `<Code>` of an S3 error answer (e.g. `SlowDown`, `RequestTimeout`).
    static func errorCode(_ body: Data) -> String? {
        element("Code", in: body)
    }

    private static func element(_ name: String, in body: Data) -> String? {
        let text = String(decoding: body.prefix(2_000), as: UTF8.self)
        guard let start = text.range(of: "<\(name)>"),
              let end = text.range(of: "</\(name)>", range: start.upperBound..<text.endIndex) else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }
}

extension SigV4.Credentials {
    /// The usual places, in the usual order: `AWS_ACCESS_KEY_ID`,
    /// `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`), else the shared
    /// credentials file (`AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/credentials`,
    /// profile `AWS_PROFILE` or `default`).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SigV4.Credentials {
        let value = { (name: String) in setting(name, environment) }
        switch (value("AWS_ACCESS_KEY_ID"), value("AWS_SECRET_ACCESS_KEY")) {
        case let (id?, secret?):
            return SigV4.Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN"))
        case (.some, nil):
            throw ObjectStoreError(.configuration, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both, or neither to use the shared credentials file")
        case (nil, .some):
            throw ObjectStoreError(.configuration, "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not; set both, or neither to use the shared credentials file")
        case (nil, nil):
            break
        }
        let home = value("HOME") ?? NSHomeDirectory()
        let file = value("AWS_SHARED_CREDENTIALS_FILE") ?? "\(home)/.aws/credentials"
        let profile = value("AWS_PROFILE") ?? "default"
        if let values = SharedConfig.section(profile, in: file),
           let id = values["aws_access_key_id"], let secret = values["aws_secret_access_key"] {
            return SigV4.Credentials(accessKeyID: id, secretAccessKey: secret,
                                     sessionToken: values["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 })
        }
        throw ObjectStoreError(.configuration, "no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or profile [\(profile)] in \(file)")
    }

    /// `AWS_REGION`, `AWS_DEFAULT_REGION`, the shared config file's region, else us-east-1.
    public static func region(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let value = { (name: String) in setting(name, environment) }
        if let region = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") { return region }
        let home = value("HOME") ?? NSHomeDirectory()
        let file = value("AWS_CONFIG_FILE") ?? "\(home)/.aws/config"
        let profile = value("AWS_PROFILE") ?? "default"
        let section = profile == "default" ? "default" : "profile \(profile)"
        return SharedConfig.section(section, in: file)?["region"] ?? "us-east-1"
    }
}

/// An environment variable's value; an empty one counts as unset (CI systems often export them empty).
private func setting(_ name: String, _ environment: [String: String]) -> String? {
    environment[name].flatMap { $0.isEmpty ? nil : $0 }
}

/// The INI files of the AWS CLI: `[section]` then `key = value` lines.
enum SharedConfig {
    static func section(_ name: String, in path: String) -> [String: String]? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        var current: String?
        var values: [String: String] = [:]
        var found = false
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                current = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                if current == name { found = true }
                continue
            }
            guard current == name, let equals = line.firstIndex(of: "=") else { continue }
            values[line[..<equals].trimmingCharacters(in: .whitespaces)] = line[line.index(after: equals)...]
                .trimmingCharacters(in: .whitespaces)
        }
        return found ? values : nil
    }
}
