import Foundation
import Hashing
import ObjectStore
import Testing

/// AWS Signature Version 4 against AWS's published test vectors: the
/// signature test suite (credentials AKIDEXAMPLE, 2015-08-30T12:36:00Z,
/// us-east-1, service "service") and the worked S3 GetObject example of the
/// S3 API reference ("Signature Calculations for the Authorization Header").
@Suite("AWS Signature Version 4")
struct SigV4Tests {
    static let suite = SigV4(credentials: .init(accessKeyID: "AKIDEXAMPLE",
                                                secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                             region: "us-east-1", service: "service")
    static let suiteDate = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z
    static let emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    @Test("the signature test suite", arguments: [
        ("get-vanilla", "GET", [(String, String)](), [String: String](),
         "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        ("post-vanilla", "POST", [], [:],
         "SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        ("get-vanilla-query-order-key-case", "GET", [("Param2", "value2"), ("Param1", "value1")], [:],
         "SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        ("post-header-value-case", "POST", [], ["My-Header1": "VALUE1"],
         "SignedHeaders=host;my-header1;x-amz-date, Signature=cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"),
    ])
    func suiteVector(name: String, method: String, query: [(String, String)], headers: [String: String], expected: String) {
        var all = headers
        all["Host"] = "example.amazonaws.com"
        let signed = Self.suite.sign(method: method, path: "/", query: query, headers: all,
                                     payloadSHA256: Self.emptySHA256, date: Self.suiteDate)
        #expect(signed["x-amz-date"] == "20150830T123600Z")
        #expect(signed["Authorization"] == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \(expected)", "\(name)")
    }

    @Test("the S3 GetObject example")
    func s3Example() {
        let signer = SigV4(credentials: .init(accessKeyID: "AKIAIOSFODNN7EXAMPLE",
                                              secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                           region: "us-east-1", service: "s3")
        let signed = signer.sign(method: "GET", path: "/test.txt",
                                 headers: ["Host": "examplebucket.s3.amazonaws.com", "Range": "bytes=0-9",
                                           "x-amz-content-sha256": Self.emptySHA256],
                                 payloadSHA256: Self.emptySHA256,
                                 date: Date(timeIntervalSince1970: 1_369_353_600))  // 2013-05-24T00:00:00Z
        #expect(signed["Authorization"] == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test("HMAC-SHA256: RFC 4231 test case 2")
    func hmac() {
        #expect(Digest.hex(HMAC.sha256(key: Data("Jefe".utf8), "what do ya want for nothing?"))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("keys are encoded as RFC 3986 asks")
    func encoding() {
        #expect(SigV4.encode("v/ab c+é~.json", keepSlash: true) == "v/ab%20c%2B%C3%A9~.json")
        #expect(SigV4.encode("a/b", keepSlash: false) == "a%2Fb")
    }
}
