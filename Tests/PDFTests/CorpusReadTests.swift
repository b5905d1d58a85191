import Foundation
import Testing
@testable import PDF

@Suite("Corpus reading", .enabled(if: TestSupport.corpusAvailable, "corpus ../shared/corpus/files is absent"))
struct CorpusReadTests {
    @Test("diagnostic dump")
    func dump() throws {
        for name in TestSupport.corpusFiles() {
            let data = try TestSupport.corpusFile(name)
            var line = name
            for options in [ReadOptions.strict, .tolerant] {
                do {
                    let document = try PDFDocument(data: data, options: options)
                    let pages = try document.pages.count
                    let fields = try document.signatureFields
                    var failures = 0
                    var firstFailure = ""
                    for (number, entry) in document.xref where !entry.isFree {
                        let generation: Int
                        if case .inUse(_, let g) = entry { generation = g } else { generation = 0 }
                        do { _ = try document.resolve(ObjectRef(number: number, generation: generation)) } catch {
                            failures += 1
                            if firstFailure.isEmpty { firstFailure = "\(error)" }
                        }
                    }
                    line += " | \(options.mode) ok fail=\(failures) \(firstFailure) rev=\(document.revisions.count) pages=\(pages) sig=\(fields.filter(\.isSigned).count)/\(fields.count)"
                } catch {
                    line += " | \(options.mode) ERR \(error)"
                }
            }
            print(line)
        }
    }
}
