import Foundation

/// Writes cross-reference sections (ISO 32000-2 §7.5.4 tables, §7.5.8 streams).
enum XRefWriter {
    /// A 20-byte table entry `oooooooooo ggggg n` + space + LF (§7.5.4).
    static func tableEntry(offset: Int, generation: Int) -> String {
        let offsetText = String(offset)
        let generationText = String(generation)
        return String(repeating: "0", count: max(0, 10 - offsetText.count)) + offsetText + " "
            + String(repeating: "0", count: max(0, 5 - generationText.count)) + generationText + " n \n"
    }

    /// Consecutive runs of object numbers, as `(first, count)` subsections.
    static func subsections(_ numbers: [Int]) -> [(Int, Int)] {
        var result: [(Int, Int)] = []
        for number in numbers.sorted() {
            if let last = result.last, last.0 + last.1 == number {
                result[result.count - 1].1 += 1
            } else {
                result.append((number, 1))
            }
        }
        return result
    }

    /// A classic section: `xref`, subsections, `trailer`, the dictionary.
    static func table(entries: [Int: (offset: Int, generation: Int)], trailer: PDFDictionary) -> [UInt8] {
        var output = Array("xref\n".utf8)
        for (first, count) in subsections(Array(entries.keys)) {
            output.append(contentsOf: Array("\(first) \(count)\n".utf8))
            for number in first..<(first + count) {
                let entry = entries[number]!
                output.append(contentsOf: Array(tableEntry(offset: entry.offset, generation: entry.generation).utf8))
            }
        }
        output.append(contentsOf: Array("trailer\n".utf8))
        PDFObject.dictionary(trailer).write(into: &output)
        output.append(0x0A)
        return output
    }

    /// A cross-reference stream object `number` at `offset` listing `entries`
    /// and itself; `trailer` supplies `/Size`, `/Root`, `/Prev`, `/ID` and the rest.
    static func stream(number: Int, offset: Int, entries: [Int: (offset: Int, generation: Int)],
                       trailer: PDFDictionary) -> [UInt8] {
        var all = entries
        all[number] = (offset, 0)
        let maxOffset = all.values.map(\.offset).max() ?? 0
        var offsetWidth = 1
        while offsetWidth < 8, maxOffset >> (8 * offsetWidth) != 0 { offsetWidth += 1 }
        let maxGeneration = all.values.map(\.generation).max() ?? 0
        let generationWidth = maxGeneration > 255 ? 2 : 1
        let runs = subsections(Array(all.keys))
        var rows: [UInt8] = []
        for (first, count) in runs {
            for entryNumber in first..<(first + count) {
                let entry = all[entryNumber]!
                rows.append(1)
                for shift in stride(from: 8 * (offsetWidth - 1), through: 0, by: -8) {
                    rows.append(UInt8((entry.offset >> shift) & 0xFF))
                }
                for shift in stride(from: 8 * (generationWidth - 1), through: 0, by: -8) {
                    rows.append(UInt8((entry.generation >> shift) & 0xFF))
                }
            }
        }
        var dictionary: PDFDictionary = [
            "Type": .name("XRef"),
            "Size": .integer(max(trailer.int("Size") ?? 0, number + 1)),
            "Index": .array(runs.flatMap { [PDFObject.integer($0.0), .integer($0.1)] }),
            "W": .array([.integer(1), .integer(offsetWidth), .integer(generationWidth)]),
        ]
        for entry in trailer where !["Size", "Type", "Index", "W", "XRefStm"].contains(entry.key) {
            dictionary[entry.key] = entry.value
        }
        dictionary["Filter"] = .name("FlateDecode")
        var output: [UInt8] = []
        PDFObject.writeIndirect(.stream(PDFStream(dictionary: dictionary, data: Flate.compress(Data(rows)))),
                                reference: ObjectRef(number: number), into: &output)
        return output
    }
}
