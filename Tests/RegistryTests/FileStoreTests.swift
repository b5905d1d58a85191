import Foundation
import Hashing
import Testing
@testable import Registry

@Suite struct FileStoreTests {
    private static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/corpus/files").standardizedFileURL

    private func write(_ data: Data, in fixture: Fixture, name: String) throws -> URL {
        let url = fixture.home.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }

    private func sha256sum(_ url: URL) throws -> String {
        String(try runProcess("/usr/bin/sha256sum", [url.path]).prefix(64))
    }

    @Test func storesContentAddressedWithMode0640() throws {
        let fixture = try Fixture()
        let source = try fixture.pdf("hello", name: "Transkrip Nilai.pdf")
        let stored = try fixture.registry.fileStore.store(fileAt: source)
        #expect(stored.sha256 == (try sha256sum(source)))
        #expect(stored.size == Int64(try Data(contentsOf: source).count))
        #expect(stored.storedPath == "files/\(stored.sha256.prefix(2))/\(stored.sha256).pdf")
        #expect(stored.originalFilename == "Transkrip Nilai.pdf")
        let target = fixture.home.appendingPathComponent(stored.storedPath)
        #expect(try Data(contentsOf: target) == Data(contentsOf: source))
        let attributes = try FileManager.default.attributesOfItem(atPath: target.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o640)
        #expect(Digest.hex(Digest.sha256(try Data(contentsOf: target))) == stored.sha256)
    }

    @Test func storingTheSameBytesTwiceIsIdempotent() throws {
        let fixture = try Fixture()
        let store = fixture.registry.fileStore
        let first = try store.store(fileAt: try fixture.pdf("same", name: "a.pdf"))
        let second = try store.store(fileAt: try fixture.pdf("same", name: "b.pdf"))
        #expect(first.storedPath == second.storedPath)
        #expect(second.originalFilename == "b.pdf")
        let shard = store.root.appendingPathComponent(String(first.sha256.prefix(2)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: shard.path) == ["\(first.sha256).pdf"])
        // No temporary files are left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: store.root.path)
            .filter { $0.hasPrefix(".incoming-") }
        #expect(leftovers.isEmpty)
    }

    @Test func refusesEmptyAndNonPDFFiles() throws {
        let fixture = try Fixture()
        let store = fixture.registry.fileStore
        let empty = try write(Data(), in: fixture, name: "empty.pdf")
        let emptyError = #expect(throws: RegistryError.self) { try store.store(fileAt: empty) }
        #expect(emptyError?.code == .badInput)
        #expect(emptyError?.message == "empty.pdf is empty, so it cannot be a PDF")

        let text = try write(Data("hello, not a pdf\n".utf8), in: fixture, name: "notes.txt")
        let textError = #expect(throws: RegistryError.self) { try store.store(fileAt: text) }
        #expect(textError?.code == .badInput)
        #expect(textError?.message == "notes.txt is not a PDF: no %PDF- header in its first 1024 bytes")

        // A header pushed past the 1024-byte window does not count.
        var late = Data(repeating: 0x20, count: 1020)
        late.append(Data("%PDF-1.7\n".utf8))
        let lateFile = try write(late, in: fixture, name: "late.pdf")
        #expect(throws: RegistryError.self) { try store.store(fileAt: lateFile) }

        // Nothing was stored and no temporary file was left.
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: store.root.path)) ?? []
        #expect(entries.isEmpty)

        let missing = #expect(throws: RegistryError.self) {
            try store.store(fileAt: fixture.home.appendingPathComponent("absent.pdf"))
        }
        #expect(missing?.code == .notFound)
    }

    @Test func acceptsLeadingJunkWithinTheHeaderWindow() throws {
        let fixture = try Fixture()
        var data = Data(repeating: 0x0A, count: 1000)
        data.append(Data("%PDF-1.4\n%%EOF\n".utf8))
        let url = try write(data, in: fixture, name: "junk.pdf")
        let stored = try fixture.registry.fileStore.store(fileAt: url)
        #expect(stored.size == Int64(data.count))
        #expect(stored.sha256 == (try sha256sum(url)))
    }

    @Test func hashesLargeFilesAcrossChunks() throws {
        let fixture = try Fixture()
        var data = Data("%PDF-1.7\n".utf8)
        data.append(Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }))
        let url = try write(data, in: fixture, name: "large.pdf")
        let stored = try fixture.registry.fileStore.store(fileAt: url)
        #expect(stored.sha256 == (try sha256sum(url)))
        #expect(stored.size == 200_009)
    }

    /// Every corpus file: the stored hash must equal MANIFEST.tsv's, and the
    /// one file whose header was overwritten (`hdr=missing`) must be refused.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: FileStoreTests.corpus.path),
                   "the PDF corpus at ../shared/corpus/files is absent"))
    func storesRealCorpusFilesAndRefusesTheHeaderless() throws {
        let fixture = try Fixture()
        let manifest = try String(contentsOf: Self.corpus.deletingLastPathComponent()
            .appendingPathComponent("MANIFEST.tsv"), encoding: .utf8)
        var checked = 0
        for line in manifest.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count > 7 else { continue }
            let name = String(fields[0])
            let expectedHash = String(fields[5])
            let url = Self.corpus.appendingPathComponent(name)
            if fields[7].contains("hdr=missing") {
                let error = #expect(throws: RegistryError.self, "\(name)") {
                    try fixture.registry.fileStore.store(fileAt: url)
                }
                #expect(error?.message == "\(name) is not a PDF: no %PDF- header in its first 1024 bytes")
            } else {
                let stored = try fixture.registry.fileStore.store(fileAt: url)
                #expect(stored.sha256 == expectedHash, "\(name)")
            }
            checked += 1
        }
        #expect(checked >= 80)
    }
}
