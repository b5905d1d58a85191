import Foundation
@testable import Portal
import Registry
import Stamp
import TestSupport
import XCTest

/// The registry keeps the QR symbol each stamp drew, and the token page draws
/// that symbol instead of encoding the URL again: the same bytes as encoding
/// it, and the same page for a document signed before the registry kept it.
final class StampQRTests: XCTestCase {
    func testTokenPagesDrawTheStampsOwnSymbolAndMatchAFreshEncoding() throws {
        let fixture = try LibraryPublishFixture.make("portal-stamp-qr", baseURL: "https://verify.example.ac.id",
                                                     documents: 2, passphrase: "stamp qr passphrase")
        defer { fixture.remove() }
        let documents = try Registry(home: fixture.home).allPublishedDocuments()
        XCTAssertEqual(documents.count, 2)
        for document in documents {
            let url = try XCTUnwrap(document.signature.verificationURL)
            let kept = try XCTUnwrap(document.signature.qrModules, "the stamp's symbol was not kept")
            XCTAssertEqual(kept, try QRSymbol(url).archived)
            XCTAssertEqual(try PageRenderer.inlineQR(url, archived: kept), try PageRenderer.inlineQR(url))
        }

        let source = try fixture.source()
        _ = try SitePublisher(source: source, options: PublishOptions(site: fixture.site)).publish()
        // As if signed before 0.3: no symbol kept; the portal encodes the URL and writes the same page.
        let database = fixture.home.appendingPathComponent("registry.sqlite").path
        let cleared = try Tools.run("sqlite3", [database, "UPDATE document_signatures SET qr_modules = NULL;"])
        XCTAssertEqual(cleared.status, 0, cleared.err)
        let older = fixture.work.appendingPathComponent("site-older")
        _ = try SitePublisher(source: try fixture.source(), options: PublishOptions(site: older)).publish()
        for document in documents {
            let page = document.signature.address(baseURL: "https://verify.example.ac.id").pageFile
            let kept = try Data(contentsOf: fixture.site.appendingPathComponent(page))
            let encoded = try Data(contentsOf: older.appendingPathComponent(page))
            XCTAssertEqual(kept, encoded, "\(page) differs between a kept and a freshly encoded symbol")
            XCTAssertTrue(String(decoding: kept, as: UTF8.self).contains("<svg"), "\(page) has no QR")
        }
    }
}
