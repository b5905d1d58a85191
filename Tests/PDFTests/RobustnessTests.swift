import Foundation
import Testing
@testable import PDF

/// Mutated files must give a result or a `PDFError`: never a crash, a hang
/// or an unbounded allocation. Deterministic (seeded) so failures reproduce.
@Suite("Robustness against damaged input")
struct RobustnessTests {
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var value = state
            value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
            value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
            return value ^ (value >> 31)
        }
    }

    static func mutate(_ data: Data, using random: inout SplitMix64) -> Data {
        var bytes = [UInt8](data)
        let tokens = Array("0123456789 \n<>[]()/R obj endobj stream endstream xref trailer %%EOF -.#".utf8)
        for _ in 0..<Int.random(in: 1...8, using: &random) {
            guard !bytes.isEmpty else { break }
            let position = Int.random(in: 0..<bytes.count, using: &random)
            switch Int.random(in: 0..<5, using: &random) {
            case 0: bytes[position] = UInt8.random(in: 0...255, using: &random)
            case 1: bytes[position] = tokens.randomElement(using: &random)!
            case 2: bytes.insert(contentsOf: (0..<Int.random(in: 1...16, using: &random)).map { _ in
                        tokens.randomElement(using: &random)! }, at: position)
            case 3: bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...64, using: &random)))
            default:
                let length = min(bytes.count - position, Int.random(in: 1...256, using: &random))
                bytes.insert(contentsOf: bytes[position..<(position + length)], at: Int.random(in: 0..<bytes.count, using: &random))
            }
        }
        return Data(bytes)
    }

    /// Everything a caller may do with a file; only `PDFError`s may come out.
    static func exercise(_ data: Data) {
        for options in [ReadOptions.strict, .tolerant] {
            guard let document = try? PDFDocument(data: data, options: options) else { continue }
            _ = try? document.pages
            _ = try? document.signatureFields
            _ = try? document.docMDPPermission
            for (number, entry) in document.xref.prefix(400) {
                if case .inUse(_, let generation) = entry {
                    _ = try? document.resolve(ObjectRef(number: number, generation: generation))
                } else {
                    _ = try? document.resolve(ObjectRef(number: number))
                }
            }
            for index in document.revisions.indices.prefix(3) {
                _ = try? document.resolve(ObjectRef(number: 1), asOfRevision: index)
            }
            if options.mode == .tolerant, let rewritten = try? PDFRewriter.rewrite(document) {
                _ = try? PDFDocument(data: rewritten).pages
            }
        }
    }

    static func seeds() -> [Data] {
        var seeds = [XRefTests.tableFile().data, ObjectStreamTests.document().data, RewriterTests.shadowedFile(),
                     PageTreeTests.nestedTree()]
        if TestSupport.corpusAvailable {
            for name in ["hanko_minimal-hybrid-xref-mswordstyle.pdf", "qpdf_incremental-1.pdf", "pdfcpu_SimplePDF2.0.pdf",
                         "hanko_circular-page-tree.pdf", "pdfjs_signed_verified.pdf"] {
                if let data = try? TestSupport.corpusFile(name) { seeds.append(data) }
            }
            // SEGEL_FUZZ_ALL=1 seeds from every corpus file under 300 KB (long runs only).
            if ProcessInfo.processInfo.environment["SEGEL_FUZZ_ALL"] != nil {
                for name in TestSupport.corpusFiles() {
                    if let data = try? TestSupport.corpusFile(name), data.count < 300_000 { seeds.append(data) }
                }
            }
        }
        return seeds
    }

    @Test("seeded mutations of fixtures and small corpus files never crash")
    func mutations() {
        let iterations = Int(ProcessInfo.processInfo.environment["SEGEL_FUZZ_ITERATIONS"] ?? "") ?? 60
        var random = SplitMix64(state: UInt64(ProcessInfo.processInfo.environment["SEGEL_FUZZ_SEED"] ?? "") ?? 20_240_131)
        let seeds = Self.seeds()
        for seed in seeds {
            for _ in 0..<iterations { Self.exercise(Self.mutate(seed, using: &random)) }
        }
        #expect(seeds.count >= 4)
    }

    @Test("truncation at every point of a small file never crashes")
    func truncations() {
        let data = ObjectStreamTests.document().data
        for length in stride(from: 0, to: data.count, by: 3) { Self.exercise(data.prefix(length)) }
        #expect(throws: PDFError.self) { try PDFDocument(data: data.prefix(data.count / 2)) }
    }
}
