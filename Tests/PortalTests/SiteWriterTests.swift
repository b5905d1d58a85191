import Foundation
import PKI
@testable import Portal
import TestSupport
import XCTest

/// `SiteWriter` in a site with no manifest: a missing file is created under its
/// own name, an existing one is still replaced whole, through a temporary name.
final class SiteWriterTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = try TestPaths.temporaryDirectory("site-writer")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    private func hash(_ text: String) -> String { Digest.hex(Digest.sha256(Data(text.utf8))) }

    private func inode(_ path: String) throws -> UInt64 {
        let attributes = try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(path).path)
        return (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
    }

    func testCreatesInPlaceReplacesWholeAndLinksTwins() throws {
        let writer = try SiteWriter(root: root, createsInPlace: true)
        try writer.write(Data("one".utf8), sha256: hash("one"), to: "v/token/index.html", twins: false)
        XCTAssertEqual(try String(contentsOf: root.appendingPathComponent("v/token/index.html"), encoding: .utf8), "one")
        let first = try inode("v/token/index.html")

        // An existing file (e.g. left by a killed publish) is replaced by a new inode, never rewritten in place.
        try writer.write(Data("two".utf8), sha256: hash("two"), to: "v/token/index.html", twins: false)
        XCTAssertEqual(try String(contentsOf: root.appendingPathComponent("v/token/index.html"), encoding: .utf8), "two")
        XCTAssertNotEqual(try inode("v/token/index.html"), first)

        // Same bytes, same inode; replacing one of them leaves the other alone.
        try writer.write(Data("{}".utf8), sha256: hash("{}"), to: "api/hash/00/00.json")
        try writer.write(Data("{}".utf8), sha256: hash("{}"), to: "api/hash/00/01.json")
        try writer.write(Data("{}".utf8), sha256: hash("{}"), to: "api/hash/01/00.json")
        XCTAssertEqual(try inode("api/hash/00/00.json"), try inode("api/hash/00/01.json"))
        XCTAssertEqual(try inode("api/hash/00/00.json"), try inode("api/hash/01/00.json"))
        try writer.write(Data("{\"v\":1}".utf8), sha256: hash("{\"v\":1}"), to: "api/hash/00/01.json")
        XCTAssertEqual(try String(contentsOf: root.appendingPathComponent("api/hash/00/00.json"), encoding: .utf8), "{}")

        // The manifest never appears half-written, even when it is new.
        try writer.write(Data("m".utf8), sha256: hash("m"), to: ".segel-manifest.json", twins: false, wholeOrNothing: true)
        XCTAssertTrue(writer.exists(".segel-manifest.json"))

        let leftovers = FileManager.default.enumerator(atPath: root.path)!.compactMap { $0 as? String }
            .filter { $0.contains("segel-tmp") }
        XCTAssertEqual(leftovers, [])
        let mode = try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent("v/token/index.html").path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o644)
    }

    func testLinkingASignedPDFAgainLeavesNoTemporaryName() throws {
        let signed = root.appendingPathComponent("home/signed/a.pdf")
        try FileManager.default.createDirectory(at: signed.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("%PDF".utf8).write(to: signed)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: signed.path)
        for createsInPlace in [true, true, false] {
            // Each writer is a new publish; the second and third find the link of the first.
            let writer = try SiteWriter(root: root.appendingPathComponent("site"), createsInPlace: createsInPlace)
            XCTAssertTrue(try writer.linkExternal(signed.path, to: "d/a.pdf"))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("site/d").path),
                       ["a.pdf"])
    }

    func testAFileInTheWayOfAFolderIsReported() throws {
        let writer = try SiteWriter(root: root, createsInPlace: true)
        try writer.write(Data("x".utf8), sha256: hash("x"), to: "cert")
        XCTAssertThrowsError(try writer.write(Data("y".utf8), sha256: hash("y"), to: "cert/a.pem")) { error in
            XCTAssertEqual((error as? PortalError)?.code, .io)
            XCTAssertEqual((error as? PortalError)?.path, "cert/a.pem")
        }
    }

    func testRemovingTheLastFileOfAFolderRemovesTheFolder() throws {
        let writer = try SiteWriter(root: root)
        try writer.write(Data("pdf".utf8), sha256: hash("pdf"), to: "d/a.pdf")
        try writer.remove("d/a.pdf")
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("d").path))
        // And the folder comes back when a file is written there again.
        try writer.write(Data("pdf2".utf8), sha256: hash("pdf2"), to: "d/b.pdf")
        XCTAssertTrue(writer.exists("d/b.pdf"))
    }
}
