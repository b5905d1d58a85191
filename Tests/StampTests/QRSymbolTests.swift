import Foundation
import Testing
@testable import Stamp
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct QRSymbolTests {
    static let url = "https://verify.example.ac.id/v/q7Yk3mD9vL2xPq8RtZ0aBw/"

    @Test func symbolHasFinderPatternsAndVersionSize() throws {
        let symbol = try QRSymbol(Self.url)
        #expect(symbol.size == 17 + 4 * symbol.version)
        // 54 bytes at level M need version 4 (ISO/IEC 18004 Table 7: v3-M holds 42, v4-M 62).
        #expect(symbol.version == 4)
        // Finder patterns (§6.3.3) in three corners, none in the fourth.
        #expect(isFinderPattern(symbol, x: 0, y: 0))
        #expect(isFinderPattern(symbol, x: symbol.size - 7, y: 0))
        #expect(isFinderPattern(symbol, x: 0, y: symbol.size - 7))
        #expect(!isFinderPattern(symbol, x: symbol.size - 7, y: symbol.size - 7))
        #expect(!symbol.isDark(x: -1, y: 0))
        #expect(!symbol.isDark(x: symbol.size, y: 0))
    }

    @Test func archivedSymbolReadsBackExactly() throws {
        for (text, level) in [(Self.url, QRSymbol.ErrorCorrection.medium), ("A", .low),
                              (String(repeating: "https://verify.example.ac.id/", count: 20), .high)] {
            let symbol = try QRSymbol(text, level: level)
            let archived = symbol.archived
            #expect(archived.count == 1 + (symbol.size * symbol.size + 7) / 8)
            #expect(archived.first == UInt8(symbol.version))
            #expect(QRSymbol(archived: archived, text: text, level: level) == symbol)
        }
        let archived = try QRSymbol(Self.url).archived
        // Not an archive: no bytes, version 0 or 41, a byte short or long, a padding bit set.
        #expect(QRSymbol(archived: Data(), text: Self.url) == nil)
        #expect(QRSymbol(archived: Data([0]) + archived.dropFirst(), text: Self.url) == nil)
        #expect(QRSymbol(archived: Data([41]) + archived.dropFirst(), text: Self.url) == nil)
        #expect(QRSymbol(archived: archived.dropLast(), text: Self.url) == nil)
        #expect(QRSymbol(archived: archived + Data([0]), text: Self.url) == nil)
        var padded = archived
        padded[padded.count - 1] |= 0x01  // 33 x 33 = 1089 modules: the last byte holds 1 module and 7 padding bits
        #expect(QRSymbol(archived: padded, text: Self.url) == nil)
    }

    @Test func higherLevelsNeedLargerSymbols() throws {
        let low = try QRSymbol(Self.url, level: .low)
        let high = try QRSymbol(Self.url, level: .high)
        #expect(high.size > low.size)
        #expect(high.level == .high)
    }

    @Test func darkRunsCoverExactlyTheDarkModules() throws {
        let symbol = try QRSymbol(Self.url)
        for y in 0..<symbol.size {
            var fromRuns = [Bool](repeating: false, count: symbol.size)
            var previousEnd = -1
            for run in symbol.darkRuns(row: y) {
                #expect(run.x > previousEnd, "runs must be separated by a light module")
                for x in run.x..<(run.x + run.length) { fromRuns[x] = true }
                previousEnd = run.x + run.length
            }
            #expect(fromRuns == (0..<symbol.size).map { symbol.isDark(x: $0, y: y) })
        }
    }

    /// Batch signing renders stamps in parallel; libqrencode must give the
    /// same symbols as when called one at a time.
    @Test func concurrentEncodingMatchesSerialEncoding() async throws {
        let texts = (0..<64).map { "https://verify.example.ac.id/v/token\($0)-\(String(repeating: "x", count: $0))/" }
        let serial = try texts.map { try QRSymbol($0, level: .quartile) }
        let parallel = try await withThrowingTaskGroup(of: (Int, QRSymbol).self) { group in
            for (index, text) in texts.enumerated() {
                group.addTask { (index, try QRSymbol(text, level: .quartile)) }
            }
            var symbols = [QRSymbol?](repeating: nil, count: texts.count)
            for try await (index, symbol) in group { symbols[index] = symbol }
            return symbols
        }
        #expect(parallel == serial)
    }

    @Test func rejectsEmptyNulAndOverlongText() {
        #expect(throws: StampError.self) { try QRSymbol("") }
        #expect { try QRSymbol("a\u{0}b") } throws: { ($0 as? StampError)?.code == .qrEncoding }
        #expect { try QRSymbol(String(repeating: "x", count: 3000), level: .low) } throws: {
            ($0 as? StampError)?.code == .qrEncoding
        }
    }

    @Test func pngIsOneBitGreyscaleWithoutTimeChunkAndDeterministic() throws {
        let symbol = try QRSymbol(Self.url)
        let png = try symbol.png(moduleSize: 5, quietZone: 4)
        #expect(png == (try symbol.png(moduleSize: 5, quietZone: 4)))
        let bytes = [UInt8](png)
        #expect(bytes.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR: width, height, bit depth 1, colour type 0 (greyscale).
        let side = UInt32((symbol.size + 8) * 5)
        let ihdr = Array(bytes[16..<29])
        #expect(ihdr.prefix(4) == withUnsafeBytes(of: side.bigEndian, Array.init)[...])
        #expect(ihdr[8] == 1)
        #expect(ihdr[9] == 0)
        let chunks = chunkTypes(bytes)
        #expect(chunks.first == "IHDR")
        #expect(chunks.last == "IEND")
        #expect(!chunks.contains("tIME"))
        #expect(Set(chunks).isSubset(of: ["IHDR", "IDAT", "IEND"]))
    }

    @Test(.enabled(if: ExternalTool.available("zbarimg"), "zbarimg (zbar-tools) is not installed"))
    func zbarimgDecodesThePNGToTheExactURL() throws {
        let directory = try TemporaryDirectory()
        let mixedCase = "https://Verify.Example.ac.id/v/AbCdEf-_0123/?x=Y"
        for text in [Self.url, mixedCase] {
            let file = directory.file("qr.png")
            try QRSymbol(text).png().write(to: file)
            #expect(try ExternalTool.decodeQR(file.path) == [text])
        }
    }

    @Test func svgIsWellFormedWithOnePathOfMergedRuns() throws {
        let symbol = try QRSymbol(Self.url)
        let svg = symbol.svg(moduleSize: 4, quietZone: 4)
        #expect(svg == symbol.svg(moduleSize: 4, quietZone: 4))
        let collector = SVGCollector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        #expect(parser.parse(), "SVG must be well-formed XML: \(String(describing: parser.parserError))")
        #expect(collector.elements == ["svg", "rect", "path"])
        let root = try #require(collector.attributes["svg"])
        #expect(root["shape-rendering"] == "crispEdges")
        #expect(root["viewBox"] == "0 0 \(symbol.size + 8) \(symbol.size + 8)")
        #expect(root["width"] == "\((symbol.size + 8) * 4)")
        let d = try #require(collector.attributes["path"]?["d"])
        let runCount = (0..<symbol.size).reduce(0) { $0 + symbol.darkRuns(row: $1).count }
        #expect(d.filter { $0 == "M" }.count == runCount)
        let darkCount = (0..<symbol.size).reduce(0) { total, y in
            total + (0..<symbol.size).filter { symbol.isDark(x: $0, y: y) }.count
        }
        #expect(runCount < darkCount, "horizontal runs must be merged")
    }

    /// A dark 7x7 ring, a light 5x5 ring, a dark 3x3 core.
    private func isFinderPattern(_ symbol: QRSymbol, x ox: Int, y oy: Int) -> Bool {
        for dy in 0..<7 {
            for dx in 0..<7 {
                let ring = max(abs(dx - 3), abs(dy - 3))
                if symbol.isDark(x: ox + dx, y: oy + dy) != (ring != 2) { return false }
            }
        }
        return true
    }

    private func chunkTypes(_ bytes: [UInt8]) -> [String] {
        var types: [String] = []
        var offset = 8
        while offset + 8 <= bytes.count {
            let length = bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
            types.append(String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self))
            offset += 12 + length
        }
        return types
    }
}

private final class SVGCollector: NSObject, XMLParserDelegate {
    var elements: [String] = []
    var attributes: [String: [String: String]] = [:]

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        elements.append(elementName)
        attributes[elementName] = attributeDict
    }
}
