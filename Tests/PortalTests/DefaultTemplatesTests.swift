import Foundation
@testable import Portal
import TestSupport
import XCTest

/// `Sources/Portal/Generated/DefaultTemplates.swift` must be `templates/` as
/// it is now: run `scripts/embed-templates` after changing a template.
final class DefaultTemplatesTests: XCTestCase {
    func testGeneratedFileMatchesTemplatesFolder() throws {
        let folder = TestPaths.packageRoot.appendingPathComponent("templates")
        var expected = try TemplateSet.readFolder(folder)
        expected = expected.filter { path, _ in
            path != "README.md" && !path.hasSuffix(".test.mjs")
                && !path.split(separator: "/").contains { $0.hasPrefix(".") }
        }
        var embedded: [String: Data] = [:]
        for (path, text) in DefaultTemplates.text { embedded[path] = Data(text.utf8) }
        for (path, base64) in DefaultTemplates.base64 { embedded[path] = Data(base64Encoded: base64) }
        let stale = "Sources/Portal/Generated/DefaultTemplates.swift is out of date; run scripts/embed-templates"
        XCTAssertEqual(Set(embedded.keys), Set(expected.keys), stale)
        for (path, data) in expected {
            XCTAssertEqual(embedded[path], data, "\(path): \(stale)")
        }
        XCTAssertGreaterThan(expected.count, 10)
    }

    func testDefaultsParseAndHaveBothLocalesWithTheSameKeys() throws {
        let templates = try TemplateSet.load(overrides: nil)
        let library = try templates.library()
        for page in TemplateSet.pages { XCTAssertNotNil(library.getTemplate(named: page), page) }
        let indonesian = try templates.strings(.id), english = try templates.strings(.en)
        XCTAssertEqual(Set(indonesian.keys), Set(english.keys))
        XCTAssertEqual(indonesian["status_valid"], "SAH")
        XCTAssertEqual(Set(templates.staticFiles.map(\.path)),
                       ["assets/favicon.svg", "assets/site.css", "assets/site.js", "assets/verify.js", "robots.txt"])
    }

    func testOverridesReplaceByRelativePathAndBadTemplatesNameTheFile() throws {
        let folder = try TestPaths.temporaryDirectory("portal-templates")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("assets"), withIntermediateDirectories: true)
        try Data("body{}".utf8).write(to: folder.appendingPathComponent("assets/site.css"))
        try Data("logo".utf8).write(to: folder.appendingPathComponent("assets/logo.png"))
        let templates = try TemplateSet.load(overrides: folder)
        XCTAssertEqual(templates.files["assets/site.css"], Data("body{}".utf8))
        XCTAssertEqual(templates.files["assets/logo.png"], Data("logo".utf8))
        XCTAssertNotEqual(templates.fingerprint, try TemplateSet.load(overrides: nil).fingerprint)

        try Data("{{#doc}}unclosed".utf8).write(to: folder.appendingPathComponent("token.mustache"))
        XCTAssertThrowsError(try TemplateSet.load(overrides: folder).library()) { error in
            let error = error as? PortalError
            XCTAssertEqual(error?.code, .template)
            XCTAssertEqual(error?.path, "token.mustache")
        }
        XCTAssertThrowsError(try TemplateSet.load(overrides: folder.appendingPathComponent("missing")))
    }
}
