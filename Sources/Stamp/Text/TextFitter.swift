/// Fits a caption line into a width using the font's real advance widths:
/// first by shrinking a little, then by breaking into several lines (at
/// `" / "` if the text has one, else between words) at sizes down to
/// `minSize`, and as a last resort by truncating with an ellipsis.
/// Deterministic: the same input always gives the same lines and size.
enum TextFitter {
    /// Lines of WinAnsi text set at one font size.
    struct Result: Sendable, Hashable {
        var lines: [[UInt8]]
        var fontSize: Double
    }

    private static let space: UInt8 = 0x20
    private static let slash: [UInt8] = [UInt8(ascii: "/")]
    /// How far a single line may shrink before breaking into two is preferred.
    private static let singleLineShrink = 0.85
    private static let step = 0.95

    static func fit(_ text: String, font: StampFont, size: Double, minSize: Double,
                    maxWidth: Double, maxLines: Int) -> Result {
        let minSize = min(minSize, size)
        // Splitting on spaces also collapses runs of white space.
        let words = WinAnsi.encode(text).split(separator: space).map(Array.init)
        guard !words.isEmpty else { return Result(lines: [], fontSize: size) }
        let whole = join(words)
        let sizes = candidateSizes(from: size, to: minSize)

        func fits(_ line: [UInt8], _ s: Double) -> Bool { font.width(of: line, fontSize: s) <= maxWidth }

        for s in sizes where maxLines == 1 || s >= size * singleLineShrink {
            if fits(whole, s) { return Result(lines: [whole], fontSize: s) }
        }
        if maxLines > 1 {
            let segments = words.split(separator: slash).map { join(Array($0)) }
            for s in sizes {
                if segments.count > 1, segments.count <= maxLines, segments.allSatisfy({ fits($0, s) }) {
                    return Result(lines: segments, fontSize: s)
                }
                let wrapped = wrap(words, font: font, size: s, maxWidth: maxWidth)
                if wrapped.count <= maxLines, wrapped.allSatisfy({ fits($0, s) }) {
                    return Result(lines: wrapped, fontSize: s)
                }
            }
        }
        var lines = wrap(words, font: font, size: minSize, maxWidth: maxWidth)
        if lines.count > maxLines {
            let kept = Array(lines.prefix(maxLines - 1))
            let restStart = kept.reduce(0) { $0 + $1.split(separator: space).count }
            lines = kept + [join(Array(words[restStart...]))]
        }
        return Result(lines: lines.map { truncate($0, font: font, size: minSize, maxWidth: maxWidth) },
                          fontSize: minSize)
    }

    /// `line`, shortened and ended with "…" if it is wider than `maxWidth`.
    static func truncate(_ line: [UInt8], font: StampFont, size: Double, maxWidth: Double) -> [UInt8] {
        guard font.width(of: line, fontSize: size) > maxWidth else { return line }
        var kept = line
        while !kept.isEmpty, font.width(of: kept + [WinAnsi.ellipsis], fontSize: size) > maxWidth {
            kept.removeLast()
        }
        while kept.last == space { kept.removeLast() }
        return kept + [WinAnsi.ellipsis]
    }

    /// Greedy line breaking between words; a word wider than the line stays
    /// alone on its line (the caller truncates it).
    private static func wrap(_ words: [[UInt8]], font: StampFont, size: Double, maxWidth: Double) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        for word in words {
            if current.isEmpty {
                current = word
            } else if font.width(of: current + [space] + word, fontSize: size) <= maxWidth {
                current += [space] + word
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    private static func join(_ words: [[UInt8]]) -> [UInt8] {
        Array(words.joined(separator: [space]))
    }

    private static func candidateSizes(from size: Double, to minSize: Double) -> [Double] {
        var sizes: [Double] = []
        var s = size
        while s > minSize + 1e-9 {
            sizes.append(s)
            s *= step
        }
        sizes.append(minSize)
        return sizes
    }
}
