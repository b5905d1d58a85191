import Foundation
import Testing
@testable import Registry

/// JSON metadata columns: `ColumnJSON.text` writes what a sorted-keys
/// `JSONEncoder` (GRDB's JSON column encoder) writes, byte for byte;
/// `ColumnJSON.flatObject` reads it exactly as JSONDecoder does, and declines
/// anything else.
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
            let text = try #require(ColumnJSON.text(metadata))
            let decoded = try JSONDecoder().decode(Metadata.self, from: Data(text.utf8))
            #expect(decoded == metadata)
            if let fast = ColumnJSON.flatObject(text) {
                #expect(fast == metadata, "\(text)")
            } else {
                // Only \u escapes (control characters other than \b \f \n \r \t) leave it to JSONDecoder.
                #expect(text.contains("\\u"), "the fast path declined \(text)")
            }
        }
        #expect(ColumnJSON.flatObject(try #require(ColumnJSON.text(Self.samples[3]))) != nil)
    }

    @Test func writesWhatASortedKeysJSONEncoderWrites() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        func expectSame(_ metadata: Metadata) throws {
            let expected = String(decoding: try encoder.encode(metadata), as: UTF8.self)
            #expect(ColumnJSON.text(metadata) == expected)
        }
        for metadata in Self.samples { try expectSame(metadata) }
        // Key order is UTF-8 byte order: digits, capitals, underscore, small letters, then the rest.
        try expectSame(["key_length": "1", "keyid": "2", "a_b": "3", "aB": "4", "ab": "5", "Z": "6", "10": "7",
                        "9": "8", "_x": "9", "é": "10", "e": "11", "z": "12", "😀": "13", "a/b": "x/y"])
        var every = ""
        for scalar in 0..<0x80 { every.unicodeScalars.append(Unicode.Scalar(UInt8(scalar))) }
        try expectSame(["ascii": every, "beyond": "\u{7F}\u{80}\u{2028}\u{2029}\u{FEFF}\u{10FFFF}"])
        // Random keys and values from an alphabet with every kind of character in it.
        let alphabet: [Character] = ["a", "Z", "_", "0", "9", "/", "\\", "\"", " ", "\n", "\t", "\u{01}", "\u{1F}",
                                     "é", "e\u{301}", "ß", "署", "🙂", "\u{7F}", "-", ":", ",", "{", "}",
                                     "\u{FEFF}", "\u{FFFD}"]
        var generator = SystemRandomNumberGenerator()
        func word() -> String {
            String((0..<Int.random(in: 0...8, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
        }
        for _ in 0..<300 {
            var metadata: Metadata = [:]
            for _ in 0..<Int.random(in: 0...6, using: &generator) { metadata[word()] = word() }
            try expectSame(metadata)
        }
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
