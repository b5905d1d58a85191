import Foundation
import Testing
@testable import Registry

/// JSON metadata columns: `ColumnJSON.flatObject` reads what `ColumnJSON.text`
/// writes exactly as JSONDecoder does, and declines anything else.
@Suite struct ColumnJSONTests {
    static let samples: [Metadata] = [
        [:],
        ["document_hash": String(repeating: "ab", count: 32), "approved_version": "1"],
        ["path": "/srv/segel/signed/x.pdf", "url": "https://verify.example.ac.id/v/abc/"],
        ["quote": "say \"hi\"", "backslash": #"C:\temp\new"#, "lines": "one\ntwo\r\nthree\tfour"],
        ["unicode": "Müller — 署名 ✓ 🙂", "empty": "", "": "empty key"],
        ["control": "bell\u{07} and nul-free \u{1F}", "form": "\u{08}\u{0C}"],
    ]

    @Test func readsWhatItWritesLikeJSONDecoder() throws {
        for metadata in Self.samples {
            let text = try #require(try ColumnJSON.text(metadata))
            let decoded = try JSONDecoder().decode(Metadata.self, from: Data(text.utf8))
            #expect(decoded == metadata)
            if let fast = ColumnJSON.flatObject(text) {
                #expect(fast == metadata, "\(text)")
            } else {
                // Only \u escapes (control characters other than \b \f \n \r \t) leave it to JSONDecoder.
                #expect(text.contains("\\u"), "the fast path declined \(text)")
            }
        }
        #expect(ColumnJSON.flatObject(try #require(try ColumnJSON.text(Self.samples[3]))) != nil)
    }

    @Test func declinesWhatItDoesNotWrite() {
        for text in ["", "{", "[]", #"{"a":1}"#, #"{"a":{"b":"c"}}"#, #"{ "a":"b"}"#, #"{"a":"b",}"#,
                     #"{"a":"b""c":"d"}"#, #"{"a":"b","a":"c"}"#, #"{"a":"\x"}"#, "{\"a\":\"\n\"}", #"{"a":"b"} "#] {
            #expect(ColumnJSON.flatObject(text) == nil, "\(text)")
        }
        #expect(ColumnJSON.flatObject("{}") == [:])
        #expect(ColumnJSON.flatObject(#"{"a":"b","c":"\/d"}"#) == ["a": "b", "c": "/d"])
    }
}
