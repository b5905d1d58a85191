import Foundation
@testable import ObjectStore
import Testing

/// What the S3 client asks again, and where it finds credentials.
@Suite("S3 client")
struct S3ClientTests {
    static func answer(_ status: Int, code: String? = nil) -> S3Client.Response {
        let body = code.map { "<?xml version=\"1.0\"?><Error><Code>\($0)</Code><Message>m</Message></Error>" } ?? ""
        return S3Client.Response(status: status, body: Data(body.utf8), etag: nil)
    }

    @Test("5xx, 429, RequestTimeout and, for a conditional write, ConditionalRequestConflict are asked again")
    func transient() {
        #expect(S3Client.isTransient(Self.answer(503, code: "SlowDown"), conditional: false))
        #expect(S3Client.isTransient(Self.answer(500), conditional: false))
        #expect(S3Client.isTransient(Self.answer(429), conditional: false))
        #expect(S3Client.isTransient(Self.answer(400, code: "RequestTimeout"), conditional: false))
        #expect(S3Client.isTransient(Self.answer(409, code: "ConditionalRequestConflict"), conditional: true))
        // Permanent: asking again would fail the same way, or lose the race on purpose.
        #expect(!S3Client.isTransient(Self.answer(409, code: "ConditionalRequestConflict"), conditional: false))
        #expect(!S3Client.isTransient(Self.answer(412, code: "PreconditionFailed"), conditional: true))
        #expect(!S3Client.isTransient(Self.answer(400, code: "InvalidArgument"), conditional: false))
        #expect(!S3Client.isTransient(Self.answer(403, code: "AccessDenied"), conditional: false))
        #expect(!S3Client.isTransient(Self.answer(404), conditional: false))
    }

    @Test("backoff grows, has jitter, and stays under 20 s")
    func backoff() {
        for attempt in 1...8 {
            let full = min(20, 0.5 * Double(1 << (attempt - 1)))
            let waits = (0..<50).map { _ in S3Client.backoff(attempt: attempt) }
            #expect(waits.allSatisfy { $0 >= full / 2 && $0 <= full })
            #expect(Set(waits).count > 1, "not every parallel upload waits the same")
        }
    }

    @Test("past its deadline (a lease that ran out) nothing unconditional is sent, nor sent again")
    func deadline() throws {
        // Nothing listens on port 9: were the request sent, it would fail with a network error after retries.
        let client = S3Client(target: try #require(S3Target("s3://bucket/prefix", endpoint: URL(string: "http://127.0.0.1:9"),
                                                            region: "us-east-1")),
                              credentials: .init(accessKeyID: "a", secretAccessKey: "s"))
        client.deadline = { Date().addingTimeInterval(-1) }
        let started = Date()
        let error = #expect(throws: ObjectStoreError.self) { try client.put("index.html", Data("x".utf8), contentType: "text/html") }
        #expect(error?.message.contains("was not sent") == true && error?.message.contains("lease") == true)
        #expect(Date().timeIntervalSince(started) < 0.5, "no attempt, no backoff")
        #expect(throws: ObjectStoreError.self) { try client.get("index.html") }
    }

    @Test("HTTP dates (Date, Last-Modified) are read in the fixed format")
    func httpDate() {
        #expect(S3Client.httpDate("Mon, 07 Dec 2026 14:10:00 GMT") == Date(timeIntervalSince1970: 1_796_652_600))
        #expect(S3Client.httpDate("2026-12-07T14:10:00Z") == nil)
    }

    @Test("an empty session token is no token; half-set variables are refused in one sentence")
    func credentials() throws {
        let none = "/nonexistent/credentials"
        let full = try SigV4.Credentials.fromEnvironment(["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "s",
                                                          "AWS_SESSION_TOKEN": "", "AWS_SHARED_CREDENTIALS_FILE": none])
        #expect(full.accessKeyID == "AKID" && full.sessionToken == nil)
        let withToken = try SigV4.Credentials.fromEnvironment(["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "s",
                                                               "AWS_SESSION_TOKEN": "t"])
        #expect(withToken.sessionToken == "t")
        for environment in [["AWS_ACCESS_KEY_ID": "AKID"], ["AWS_SECRET_ACCESS_KEY": "s"],
                            ["AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": ""]] {
            let error = #expect(throws: ObjectStoreError.self) {
                try SigV4.Credentials.fromEnvironment(environment.merging(["AWS_SHARED_CREDENTIALS_FILE": none]) { $1 })
            }
            #expect(error?.code == .configuration)
            #expect(error?.message.contains("set both") == true)
        }
        // Empty variables count as unset: the shared file is read, and the region falls through.
        #expect(SigV4.Credentials.region(["AWS_REGION": "", "AWS_DEFAULT_REGION": "eu-west-1", "AWS_CONFIG_FILE": none]) == "eu-west-1")
        #expect(SigV4.Credentials.region(["AWS_REGION": "", "AWS_PROFILE": "", "AWS_CONFIG_FILE": none]) == "us-east-1")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("segel-s3-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("credentials")
        try Data("[default]\naws_access_key_id = FROMFILE\naws_secret_access_key = x\naws_session_token =\n".utf8).write(to: file)
        let shared = try SigV4.Credentials.fromEnvironment(["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "",
                                                            "AWS_SHARED_CREDENTIALS_FILE": file.path])
        #expect(shared.accessKeyID == "FROMFILE" && shared.sessionToken == nil)
    }
}
