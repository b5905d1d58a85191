import Foundation
import PKI
@testable import Portal
import Registry
import TestSupport
import XCTest

/// A first publish that fails part-way (here: a signed PDF is missing) names
/// the step and the file, has stopped writing when it returns — the hash
/// shards are written on a thread of their own from the start — and leaves
/// no manifest, so the next publish writes the whole site.
final class FailedPublishTests: XCTestCase {
    var fixture: LibraryPublishFixture!

    override func setUpWithError() throws {
        fixture = try LibraryPublishFixture.make("portal-failed", baseURL: "https://verify.example.ac.id", documents: 1,
                                                 passphrase: "failed publish passphrase")
    }

    override func tearDownWithError() throws {
        fixture?.remove()
    }

    var home: URL { fixture.home }
    var site: URL { fixture.site }

    func publish(signedFolder: String) throws -> PublishSummary {
        let source = try fixture.source(signedFolder: signedFolder)
        return try SitePublisher(source: source, options: PublishOptions(site: site)).publish()
    }

    func files() -> Set<String> {
        Set(FileManager.default.enumerator(atPath: site.path)?.compactMap { $0 as? String } ?? [])
    }

    func testAFailedFirstPublishStopsWritingAndTheNextOneWritesEverything() throws {
        XCTAssertThrowsError(try publish(signedFolder: "missing")) { error in
            let error = error as? PortalError
            XCTAssertEqual(error?.code, .integrity)
            XCTAssertEqual(error?.step, "Render document pages")
            XCTAssertTrue(error?.path?.hasPrefix("d/") == true)
        }
        let after = files()
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertEqual(files(), after, "nothing is written once publish has returned")
        XCTAssertFalse(after.contains(Manifest.fileName))

        let summary = try publish(signedFolder: "signed")
        XCTAssertEqual(summary.written, summary.files)
        XCTAssertGreaterThan(summary.files, HashIndex.Layout.shards256.shardCount)
        XCTAssertEqual(files().filter { $0.contains("segel-tmp") }, [])
        XCTAssertTrue(files().contains(Manifest.fileName))
    }
}
