import Foundation
import Testing
@testable import Portal

/// `.segel-manifest.json`: what the fast reader reads is what a JSON parser
/// reads, with and without the change keys of 0.8, and a manifest written by
/// an older version still reads.
@Suite struct ManifestTests {
    private let key = String(repeating: "ab", count: 32)

    private func sample() -> Manifest {
        var manifest = Manifest()
        manifest.files = ["index.html": String(repeating: "1", count: 64), "api/hash/00.json": String(repeating: "2", count: 64),
                          "v/a/aToken/index.html": String(repeating: "3", count: 64)]
        manifest.documents = ["aToken": String(repeating: "4", count: 64), "bToken": String(repeating: "5", count: 64)]
        manifest.changes = ["aToken": "\(key) 00ff 1a2b", "bToken": "\(key) ffff"]
        return manifest
    }

    @Test func theFastReaderAndAJSONParserReadTheSameManifest() throws {
        let manifest = sample()
        let data = manifest.encoded()
        #expect(Manifest.parseOwnLayout(data) == manifest)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["changes"] as? [String: String] == manifest.changes)
        #expect(object["documents"] as? [String: String] == manifest.documents)
        #expect(object["files"] as? [String: String] == manifest.files)
        // Rewritten by a JSON library (keys in another order, other spacing): the general reader.
        let rewritten = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted])
        #expect(Manifest.parseOwnLayout(rewritten) == nil)
        #expect(Manifest.parse(rewritten) == manifest)
    }

    /// The fast reader keeps the files' order when it is sorted, so that the
    /// next manifest is made in it; any other order is read, but not kept.
    @Test func theFilesOrderIsKeptOnlyWhenSorted() throws {
        let manifest = sample()
        #expect(Manifest.parse(manifest.encoded())?.sortedPaths == manifest.files.keys.sorted())
        let text = String(decoding: manifest.encoded(), as: UTF8.self)
        let swapped = text.replacingOccurrences(of: "\"api/hash/00.json\"", with: "\"zz/00.json\"")
        let unsorted = try #require(Manifest.parse(Data(swapped.utf8)))
        #expect(unsorted.files["zz/00.json"] != nil)
        #expect(unsorted.sortedPaths == nil)
        #expect(Manifest.parse(try JSONSerialization.data(withJSONObject: [
            "format": Manifest.format, "files": manifest.files, "documents": manifest.documents]))?.sortedPaths == nil)
    }

    @Test func aManifestFromBeforeChangeKeysReadsWithNone() throws {
        var manifest = sample()
        manifest.changes = [:]
        let data = manifest.encoded()
        #expect(String(decoding: data, as: UTF8.self).hasPrefix(#"{"documents":{"#), "the layout 0.7 wrote")
        #expect(Manifest.parse(data) == manifest)
        let old = Data(#"{"documents":{"t":"x"},"files":{"a":"b"},"format":"segel-manifest/1"}"#.utf8)
        #expect(Manifest.parse(old) == Manifest(files: ["a": "b"], documents: ["t": "x"]))
    }

    @Test func aDocumentsChangeReadsBackAndAnythingElseIsRefused() {
        let change = DocumentChange(key: key, shards: ["00ff", "1a2b"])
        #expect(change.text == "\(key) 00ff 1a2b")
        #expect(DocumentChange(change.text) == change)
        for bad in ["", key, "\(key) ", "\(key) 00f", "\(key) 00ff ", "\(key)  00ff", "\(key) 00FF", "\(key.dropLast()) 00ff",
                    "\(key) 00ff,1a2b", "\(key)x00ff"] {
            #expect(DocumentChange(bad) == nil, "\(bad)")
        }
    }
}
