import Foundation
import Testing
@testable import PDF

@Suite("Stream filters and predictors")
struct FilterTests {
    func decode(_ data: Data, _ filters: [String], _ parameters: [PDFDictionary?] = [],
                limits: DecodeLimits = .default) throws -> Data {
        try StreamDecoder.decode(data, filters: filters, parameters: parameters, limits: limits)
    }

    static let sample = Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 * 7 + $0 / 13) })

    @Test("FlateDecode round trip, raw deflate, and corrupt data")
    func flate() throws {
        let compressed = Flate.compress(Self.sample)
        #expect(compressed.count < Self.sample.count)
        #expect(try decode(compressed, ["FlateDecode"]) == Self.sample)
        #expect(try decode(compressed, ["Fl"]) == Self.sample)
        // Without the 2-byte zlib header and the checksum: raw deflate.
        #expect(try decode(compressed.dropFirst(2).dropLast(4), ["FlateDecode"]) == Self.sample)
        #expect(throws: PDFError.self) { try decode(Data([0xFF, 0xFF, 0xFF, 0xFF]), ["FlateDecode"]) }
    }

    /// PNG-filters `rows` with `type` (RFC 2083 §6) the way an encoder would.
    static func pngEncode(_ rows: [[UInt8]], type: UInt8, bytesPerPixel: Int) -> Data {
        var output: [UInt8] = []
        var previous = [UInt8](repeating: 0, count: rows[0].count)
        for row in rows {
            output.append(type)
            for index in row.indices {
                let left = index >= bytesPerPixel ? Int(row[index - bytesPerPixel]) : 0
                let up = Int(previous[index])
                let upLeft = index >= bytesPerPixel ? Int(previous[index - bytesPerPixel]) : 0
                let predicted: Int
                switch type {
                case 1: predicted = left
                case 2: predicted = up
                case 3: predicted = (left + up) / 2
                case 4:
                    let estimate = left + up - upLeft
                    let (a, b, c) = (abs(estimate - left), abs(estimate - up), abs(estimate - upLeft))
                    predicted = a <= b && a <= c ? left : (b <= c ? up : upLeft)
                default: predicted = 0
                }
                output.append(row[index] &- UInt8(truncatingIfNeeded: predicted))
            }
            previous = row
        }
        return Data(output)
    }

    @Test("PNG predictors 10–15, every row filter type, 3 colours", arguments: [0, 1, 2, 3, 4] as [UInt8])
    func pngPredictors(type: UInt8) throws {
        let columns = 7
        let rows = (0..<6).map { row in (0..<(columns * 3)).map { UInt8(truncatingIfNeeded: row * 31 + $0 * $0) } }
        let encoded = Flate.compress(Self.pngEncode(rows, type: type, bytesPerPixel: 3))
        let parameters: PDFDictionary = ["Predictor": .integer(15), "Colors": .integer(3), "Columns": .integer(columns)]
        #expect(try decode(encoded, ["FlateDecode"], [parameters]) == Data(rows.flatMap { $0 }))
    }

    @Test("TIFF predictor 2 with 8 and 16 bits per component")
    func tiffPredictor() throws {
        let rows8: [[UInt8]] = [[10, 20, 30, 40, 50, 60], [200, 100, 0, 255, 1, 2]]
        var encoded8: [UInt8] = []
        for row in rows8 {
            for index in row.indices { encoded8.append(index >= 2 ? row[index] &- row[index - 2] : row[index]) }
        }
        let parameters8: PDFDictionary = ["Predictor": .integer(2), "Colors": .integer(2), "Columns": .integer(3)]
        #expect(try decode(Flate.compress(Data(encoded8)), ["FlateDecode"], [parameters8]) == Data(rows8.flatMap { $0 }))

        let samples: [UInt16] = [1000, 60000, 5, 65535]
        var raw: [UInt8] = []
        var encoded16: [UInt8] = []
        for (index, sample) in samples.enumerated() {
            raw += [UInt8(sample >> 8), UInt8(sample & 0xFF)]
            let delta = index == 0 ? sample : sample &- samples[index - 1]
            encoded16 += [UInt8(delta >> 8), UInt8(delta & 0xFF)]
        }
        let parameters16: PDFDictionary = ["Predictor": .integer(2), "BitsPerComponent": .integer(16),
                                           "Columns": .integer(4)]
        #expect(try decode(Flate.compress(Data(encoded16)), ["FlateDecode"], [parameters16]) == Data(raw))
    }

    @Test("ASCIIHexDecode and ASCII85Decode")
    func asciiFilters() throws {
        #expect(try decode(Data("48 65\n6c6C 6>".utf8), ["ASCIIHexDecode"]) == Data("Hell`".utf8))
        #expect(try decode(Data("BOu!rDZ~>".utf8), ["ASCII85Decode"]) == Data("hello".utf8))
        #expect(try decode(Data("9jqo^ z ~>".utf8), ["A85"]) == Data("Man ".utf8) + Data(count: 4))
        #expect(throws: PDFError.self) { try decode(Data("4G>".utf8), ["AHx"]) }
        #expect(throws: PDFError.self) { try decode(Data("ab{~>".utf8), ["ASCII85Decode"]) }
    }

    /// A straightforward LZW encoder (§7.4.4.2) to produce test input.
    static func lzwEncode(_ input: [UInt8], earlyChange: Bool) -> Data {
        var table: [[UInt8]: Int] = [:]
        for byte in 0..<256 { table[[UInt8(byte)]] = byte }
        var next = 258
        var width = 9
        var bits: [Bool] = []
        func emit(_ code: Int) { for shift in (0..<width).reversed() { bits.append((code >> shift) & 1 == 1) } }
        emit(256)
        var current: [UInt8] = []
        for byte in input {
            let candidate = current + [byte]
            if table[candidate] != nil {
                current = candidate
                continue
            }
            emit(table[current]!)
            table[candidate] = next
            next += 1
            if next + (earlyChange ? 1 : 0) > (1 << width), width < 12 { width += 1 }
            current = [byte]
            if next == 4095 {
                emit(256)
                table = [:]
                for value in 0..<256 { table[[UInt8(value)]] = value }
                next = 258
                width = 9
            }
        }
        if !current.isEmpty { emit(table[current]!) }
        emit(257)
        var output: [UInt8] = []
        for chunk in stride(from: 0, to: bits.count, by: 8) {
            var byte: UInt8 = 0
            for index in 0..<8 { byte = byte << 1 | (chunk + index < bits.count && bits[chunk + index] ? 1 : 0) }
            output.append(byte)
        }
        return Data(output)
    }

    @Test("LZWDecode: the ISO 32000 example, EarlyChange 1 and 0, table resets")
    func lzw() throws {
        #expect(try decode(Data([0x80, 0x0B, 0x60, 0x50, 0x22, 0x0C, 0x0C, 0x85, 0x01]), ["LZWDecode"])
                == Data("-----A---B".utf8))
        let text = Array(String(repeating: "the quick brown fox jumps over the lazy dog ", count: 400).utf8)
            + (0..<3000).map { UInt8(truncatingIfNeeded: $0 * 13) }
        #expect(try decode(Self.lzwEncode(text, earlyChange: true), ["LZWDecode"]) == Data(text))
        #expect(try decode(Self.lzwEncode(text, earlyChange: false), ["LZW"], [["EarlyChange": .integer(0)]])
                == Data(text))
    }

    @Test("RunLengthDecode")
    func runLength() throws {
        #expect(try decode(Data([2, 65, 66, 67, 253, 88, 128, 1, 1]), ["RunLengthDecode"]) == Data("ABCXXXX".utf8))
    }

    @Test("filter chains, image codecs passed through, unknown filters refused")
    func chains() throws {
        let hexOfFlate = Data(Flate.compress(Self.sample).map { String(format: "%02x", $0) }.joined().utf8)
        #expect(try decode(hexOfFlate + Data(">".utf8), ["ASCIIHexDecode", "FlateDecode"]) == Self.sample)
        let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3])
        #expect(try decode(jpeg, ["DCTDecode"]) == jpeg)
        #expect(try decode(Data("FFD8>".utf8), ["AHx", "DCTDecode"]) == Data([0xFF, 0xD8]))
        #expect(throws: PDFError.self) { try decode(jpeg, ["BogusDecode"]) }
    }

    @Test("a decompression bomb fails with .limit")
    func bomb() throws {
        let zeros = Flate.compress(Data(count: 4 << 20))
        let small = DecodeLimits(maxDecodedBytes: 1 << 20)
        do {
            _ = try decode(zeros, ["FlateDecode"], limits: small)
            Issue.record("4 MB decoded under a 1 MB limit")
        } catch let error as PDFError {
            #expect(error.code == .limit)
        }
        // Stacked deflate: the ratio guard fires although the size limit is not reached.
        let stacked = Flate.compress(zeros)
        let ratio = DecodeLimits(maxDecodedBytes: 1 << 30, maxRatio: 1100, ratioThreshold: 1 << 20)
        do {
            _ = try decode(stacked, ["FlateDecode", "FlateDecode"], limits: ratio)
            Issue.record("stacked deflate passed the ratio guard")
        } catch let error as PDFError {
            #expect(error.code == .limit)
        }
        #expect(try decode(zeros, ["FlateDecode"]).count == 4 << 20)
    }
}
