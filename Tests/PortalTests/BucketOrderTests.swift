@testable import Portal
import Testing

/// The order `segel publish --to` uploads in, so that the bucket never serves
/// a page linking to something it does not have yet.
@Suite("Bucket upload order")
struct BucketOrderTests {
    @Test("new objects first, then replaced ones, each by phase; nothing lost or repeated")
    func order() {
        let paths = ["index.html", "trust/index.html", "v/a/TOKEN/index.html", "api/verify/a/TOKEN.json",
                     "d/a/TOKEN.pdf", "api/hash/1f.json", "api/hash/layout.json", "crl.crl", "assets/verify.js"]
        // The bucket has the site pages, the layout and the script; the document and its shard are new.
        let remote = ["index.html": "1", "trust/index.html": "1", "api/hash/layout.json": "1", "crl.crl": "1",
                      "assets/verify.js": "1"]
        let groups = BucketPublisher.uploadOrder(paths, remote: remote)
        #expect(groups == [
            ["d/a/TOKEN.pdf"],
            ["v/a/TOKEN/index.html", "api/verify/a/TOKEN.json"],
            ["api/hash/1f.json"],
            ["assets/verify.js"],
            ["index.html", "trust/index.html", "api/hash/layout.json", "crl.crl"],
        ])
        #expect(groups.flatMap { $0 }.sorted() == paths.sorted())
        // A first publish: one pass by phase, the layout after its shards.
        let first = BucketPublisher.uploadOrder(paths, remote: [:]).flatMap { $0 }
        #expect(first.firstIndex(of: "api/hash/1f.json")! < first.firstIndex(of: "api/hash/layout.json")!)
        #expect(first.firstIndex(of: "d/a/TOKEN.pdf")! < first.firstIndex(of: "v/a/TOKEN/index.html")!)
        #expect(first.firstIndex(of: "v/a/TOKEN/index.html")! < first.firstIndex(of: "trust/index.html")!)
    }
}
