import Foundation

/// Where a page has marks (ISO 32000-2 §8): boxes in default user space
/// around everything its content stream paints — text (§9.4, each string's
/// advance from the font's widths), filled or stroked paths (§8.5), images
/// (§8.9, the unit square under the CTM), shadings (the whole page) and form
/// XObjects (§8.10, recursively) — and around every visible annotation's
/// `/Rect` (§12.5.2), signature widgets and stamps included.
///
/// The boxes are meant to be conservative: a box may be larger than what is
/// painted (a glyph is given its full em height, a stroke its full width, a
/// font with unknown widths 1 em per byte), never smaller, so free space
/// found between them is blank. Clipping is ignored for the same reason.
public struct PageInk: Sendable {
    /// `[x0, y0, x1, y1]` with x0 ≤ x1, y0 ≤ y1, in default user space.
    public private(set) var boxes: [[Double]] = []
    /// True when something covers the whole page (a shading, or more marks
    /// than are worth tracking), so no space on it is free.
    public private(set) var coversPage = false

    static let maxBoxes = 200_000
    static let maxDepth = 12

    mutating func add(_ box: [Double]) {
        guard box.allSatisfy(\.isFinite) else { coversPage = true; return }
        if boxes.count >= Self.maxBoxes { coversPage = true; return }
        boxes.append(box)
    }

    mutating func coverPage() { coversPage = true }
}

extension PDFDocument {
    /// The marks of `page` (see ``PageInk``).
    public func ink(of page: Page) throws -> PageInk {
        var walker = InkWalker(document: self)
        walker.run(try contentData(of: page), resources: page.resources, ctm: .identity, depth: 0)
        for annotation in (try array(page.dictionary["Annots"])) ?? [] {
            guard let annotation = try dictionary(annotation) else { continue }
            let flags = (try resolve(annotation["F"] ?? .null)).intValue ?? 0
            guard flags & 0b10 == 0, annotation.name("Subtype") != "Popup",
                  let rect = try array(annotation["Rect"])?.compactMap(\.doubleValue), rect.count == 4 else { continue }
            walker.ink.add([min(rect[0], rect[2]), min(rect[1], rect[3]), max(rect[0], rect[2]), max(rect[1], rect[3])])
        }
        return walker.ink
    }
}

/// An affine matrix `[a b c d e f]` (§8.3.3): x' = a x + c y + e, y' = b x + d y + f.
struct AffineMatrix: Equatable {
    var a = 1.0, b = 0.0, c = 0.0, d = 1.0, e = 0.0, f = 0.0

    static let identity = AffineMatrix()

    init() {}

    init?(_ values: [Double]) {
        guard values.count == 6, values.allSatisfy(\.isFinite) else { return nil }
        (a, b, c, d, e, f) = (values[0], values[1], values[2], values[3], values[4], values[5])
    }

    /// `self` then `other`: the matrix of `self × other` in PDF's row-vector convention.
    func then(_ other: AffineMatrix) -> AffineMatrix {
        var m = AffineMatrix()
        m.a = a * other.a + b * other.c
        m.b = a * other.b + b * other.d
        m.c = c * other.a + d * other.c
        m.d = c * other.b + d * other.d
        m.e = e * other.a + f * other.c + other.e
        m.f = e * other.b + f * other.d + other.f
        return m
    }

    func apply(_ x: Double, _ y: Double) -> (Double, Double) {
        (a * x + c * y + e, b * x + d * y + f)
    }

    /// The axis-aligned box around the image of the box `[x0, y0, x1, y1]`.
    func box(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [Double] {
        let corners = [apply(x0, y0), apply(x1, y0), apply(x0, y1), apply(x1, y1)]
        return [corners.map(\.0).min()!, corners.map(\.1).min()!, corners.map(\.0).max()!, corners.map(\.1).max()!]
    }

    /// How much the matrix can stretch a length (for line widths).
    var scale: Double { max(hypot(a, b), hypot(c, d)) }
}

/// Walks content streams keeping the graphics and text state that decide where marks land.
private struct InkWalker {
    let document: PDFDocument
    var ink = PageInk()
    private var widths: [ObjectRef: FontWidths] = [:]
    /// Operators and operands read in all, forms included (a form drawn many
    /// times is read many times): it bounds content that repeats itself
    /// through nested forms.
    private var itemBudget = 2_000_000

    init(document: PDFDocument) {
        self.document = document
    }

    private struct State {
        var ctm = AffineMatrix.identity
        var lineWidth = 1.0
        var font: FontWidths?
        var fontSize = 0.0
        var characterSpacing = 0.0
        var wordSpacing = 0.0
        var horizontalScaling = 1.0
        var leading = 0.0
        var rise = 0.0
    }

    mutating func run(_ data: Data, resources: PDFDictionary?, ctm: AffineMatrix, depth: Int) {
        data.withUnsafeBytes { bytes in
            var scanner = ContentScanner(bytes)
            var operands: [PDFObject] = []
            var state = State()
            state.ctm = ctm
            var stack: [State] = []
            var textMatrix = AffineMatrix.identity
            var lineMatrix = AffineMatrix.identity
            var path: [(Double, Double)] = []
            while let name = scanner.nextOperator(operands: &operands) {
                // A page already covered needs no more reading.
                if ink.coversPage || !spend(operands.count + 1) { return }
                let numbers = operands.compactMap(\.doubleValue)
                switch name {
                case "q":
                    if stack.count < 256 { stack.append(state) }
                case "Q":
                    if let saved = stack.popLast() { state = saved }
                case "cm":
                    if let matrix = AffineMatrix(numbers) { state.ctm = matrix.then(state.ctm) }
                case "w":
                    if let width = numbers.first { state.lineWidth = abs(width) }
                case "m", "l":
                    if numbers.count == 2 { path.append((numbers[0], numbers[1])) }
                case "c":
                    if numbers.count == 6 { path += [(numbers[0], numbers[1]), (numbers[2], numbers[3]), (numbers[4], numbers[5])] }
                case "v", "y":
                    if numbers.count == 4 { path += [(numbers[0], numbers[1]), (numbers[2], numbers[3])] }
                case "re":
                    if numbers.count == 4 {
                        // All four corners: under a rotating CTM two would not bound it.
                        let (x, y, w, h) = (numbers[0], numbers[1], numbers[2], numbers[3])
                        path += [(x, y), (x + w, y), (x, y + h), (x + w, y + h)]
                    }
                case "S", "s", "f", "F", "f*", "B", "B*", "b", "b*":
                    paint(path, state: state, stroked: !["f", "F", "f*"].contains(name))
                    path.removeAll()
                case "n":
                    path.removeAll()
                case "sh":
                    ink.coverPage()
                case "BT":
                    textMatrix = .identity
                    lineMatrix = .identity
                case "Tf":
                    if operands.count == 2, case .name(let key) = operands[0], let size = operands[1].doubleValue {
                        state.font = font(named: key, in: resources)
                        state.fontSize = size
                    }
                case "Tc": if let v = numbers.first { state.characterSpacing = v }
                case "Tw": if let v = numbers.first { state.wordSpacing = v }
                case "Tz": if let v = numbers.first { state.horizontalScaling = v / 100 }
                case "TL": if let v = numbers.first { state.leading = v }
                case "Ts": if let v = numbers.first { state.rise = v }
                case "Td", "TD":
                    if numbers.count == 2 {
                        if name == "TD" { state.leading = -numbers[1] }
                        var translate = AffineMatrix()
                        (translate.e, translate.f) = (numbers[0], numbers[1])
                        lineMatrix = translate.then(lineMatrix)
                        textMatrix = lineMatrix
                    }
                case "Tm":
                    if let matrix = AffineMatrix(numbers) {
                        lineMatrix = matrix
                        textMatrix = matrix
                    }
                case "T*":
                    var translate = AffineMatrix()
                    translate.f = -state.leading
                    lineMatrix = translate.then(lineMatrix)
                    textMatrix = lineMatrix
                case "Tj", "'", "\"", "TJ":
                    if name != "Tj" && name != "TJ" {
                        if name == "\"", numbers.count >= 2 {
                            state.wordSpacing = numbers[0]
                            state.characterSpacing = numbers[1]
                        }
                        var translate = AffineMatrix()
                        translate.f = -state.leading
                        lineMatrix = translate.then(lineMatrix)
                        textMatrix = lineMatrix
                    }
                    let elements = name == "TJ" ? (operands.last?.arrayValue ?? []) : [operands.last].compactMap { $0 }
                    show(elements, state: state, textMatrix: &textMatrix)
                case "Do":
                    guard case .name(let key)? = operands.last,
                          let xobjects = try? document.dictionary(resources?["XObject"]),
                          let stream = (try? document.resolve(xobjects[key] ?? .null))?.streamValue else { continue }
                    switch stream.dictionary.name("Subtype") {
                    case "Image":
                        ink.add(state.ctm.box(0, 0, 1, 1))
                    case "Form":
                        guard depth < PageInk.maxDepth, let data = try? stream.decodedData() else {
                            ink.coverPage()
                            continue
                        }
                        let matrix = (try? document.array(stream.dictionary["Matrix"]))
                            .flatMap { AffineMatrix($0.compactMap(\.doubleValue)) } ?? .identity
                        let formResources = (try? document.dictionary(stream.dictionary["Resources"])) ?? resources
                        run(data, resources: formResources, ctm: matrix.then(state.ctm), depth: depth + 1)
                    default:
                        continue
                    }
                case "EI", "ID":
                    if name == "ID" { ink.add(state.ctm.box(0, 0, 1, 1)) }
                default:
                    continue
                }
            }
            // Operands that no operator takes were read too.
            _ = spend(operands.count)
        }
    }

    /// Takes `items` from the budget; once it is spent, the page counts as
    /// covered (nothing is placed on content too large to read).
    private mutating func spend(_ items: Int) -> Bool {
        itemBudget -= items
        if itemBudget < 0 { ink.coverPage(); return false }
        return true
    }

    private mutating func paint(_ path: [(Double, Double)], state: State, stroked: Bool) {
        guard !path.isEmpty else { return }
        let points = path.map { state.ctm.apply($0.0, $0.1) }
        let pad = stroked ? max(state.lineWidth, 1) * state.ctm.scale / 2 + 0.5 : 0.5
        ink.add([points.map(\.0).min()! - pad, points.map(\.1).min()! - pad,
                 points.map(\.0).max()! + pad, points.map(\.1).max()! + pad])
    }

    /// One text-showing operation: each string's glyphs advance the text
    /// matrix (§9.4.4); the box spans the advance and the em height around the baseline.
    private mutating func show(_ elements: [PDFObject], state: State, textMatrix: inout AffineMatrix) {
        let size = state.fontSize
        for element in elements {
            if let adjustment = element.doubleValue {
                var translate = AffineMatrix()
                translate.e = -adjustment / 1000 * size * state.horizontalScaling
                textMatrix = translate.then(textMatrix)
                continue
            }
            guard case .string(let string) = element, !string.bytes.isEmpty else { continue }
            let widths = state.font ?? FontWidths.unknown
            if widths.unmeasurable {
                ink.coverPage()
                return
            }
            var advance = 0.0
            for (code, isSpace) in widths.codes(string.bytes) {
                advance += (widths.width(of: code) / 1000 * size + state.characterSpacing
                            + (isSpace ? state.wordSpacing : 0)) * state.horizontalScaling
            }
            let full = state.ctm
            let textToDevice = textMatrix.then(full)
            let low = -0.3 * abs(size) + state.rise, high = 1.1 * abs(size) + state.rise
            ink.add(textToDevice.box(min(0, advance), low, max(0, advance), high))
            var translate = AffineMatrix()
            translate.e = advance
            textMatrix = translate.then(textMatrix)
        }
    }

    private mutating func font(named key: String, in resources: PDFDictionary?) -> FontWidths {
        guard let fontResources = try? document.dictionary(resources?["Font"]), let entry = fontResources[key] else {
            return .unknown
        }
        if let reference = entry.referenceValue, let known = widths[reference] { return known }
        let font = (try? document.dictionary(entry)).map { FontWidths($0, in: document) } ?? .unknown
        if let reference = entry.referenceValue { widths[reference] = font }
        return font
    }
}

/// Glyph widths (§9.2.4, §9.7.4.3) in thousandths of text space: a simple
/// font's `/Widths` from `/FirstChar`, a composite font's `/W` and `/DW`
/// (two-byte codes, the common Identity-H case). Unknown codes get
/// `/MissingWidth`, else a full em, so a text box is never too narrow.
private struct FontWidths {
    var simple: [Int: Double] = [:]
    var composite: [Int: Double] = [:]
    var isComposite = false
    var fallback = 1000.0
    /// Text in this font cannot be bounded here (Type3, vertical writing):
    /// a page that shows any counts as covered.
    var unmeasurable = false

    static let unknown = FontWidths()

    init() {}

    init(_ font: PDFDictionary, in document: PDFDocument) {
        if font.name("Subtype") == "Type3" {
            // Glyphs in the font's own /FontMatrix units, which may be anything.
            unmeasurable = true
            return
        }
        if font.name("Subtype") == "Type0" {
            isComposite = true
            // Vertical writing: a predefined -V CMap, or an embedded CMap with /WMode 1 (§9.7.5.3).
            let embedded = (try? document.resolve(font["Encoding"] ?? .null))?.streamValue
            if font.name("Encoding")?.hasSuffix("-V") == true
                || (try? document.resolve(embedded?.dictionary["WMode"] ?? .null))?.intValue == 1 {
                unmeasurable = true
                return
            }
            guard let descendant = (try? document.array(font["DescendantFonts"]))?.first,
                  let cid = try? document.dictionary(descendant) else { return }
            fallback = (try? document.resolve(cid["DW"] ?? .null))?.doubleValue ?? 1000
            let w = (try? document.array(cid["W"])) ?? []
            var index = 0
            while index < w.count, composite.count < 65_536 {
                guard let first = (try? document.resolve(w[index]))?.intValue else { break }
                guard (0...65_535).contains(first) else { break }
                if index + 1 < w.count, let list = (try? document.resolve(w[index + 1]))?.arrayValue {
                    for (offset, value) in list.prefix(65_536 - first).enumerated() {
                        composite[first + offset] = (try? document.resolve(value))?.doubleValue ?? fallback
                    }
                    index += 2
                } else if index + 2 < w.count, let last = (try? document.resolve(w[index + 1]))?.intValue,
                          let width = (try? document.resolve(w[index + 2]))?.doubleValue, last >= first, last <= 65_535 {
                    for code in first...last { composite[code] = width }
                    index += 3
                } else {
                    break
                }
            }
            return
        }
        let firstChar = (try? document.resolve(font["FirstChar"] ?? .null))?.intValue ?? 0
        guard (0...255).contains(firstChar) else { return }
        for (offset, value) in ((try? document.array(font["Widths"])) ?? []).prefix(256 - firstChar).enumerated() {
            if let width = (try? document.resolve(value))?.doubleValue { simple[firstChar + offset] = width }
        }
        if simple.isEmpty, let standard = StandardFontWidths.widths(baseFont: font.name("BaseFont") ?? "") {
            // A standard 14 font without /Widths (§9.6.2.2): its own metrics.
            for (code, width) in standard.enumerated() where width > 0 { simple[code] = Double(width) }
        }
        let descriptor = try? document.dictionary(font["FontDescriptor"])
        if let missing = (try? document.resolve(descriptor?["MissingWidth"] ?? .null))?.doubleValue, missing > 0 {
            fallback = max(missing, simple.values.max() ?? missing)
        } else if let widest = simple.values.max(), widest > 0 {
            fallback = widest
        }
    }

    /// The codes of a shown string and whether each is the single-byte space (word spacing).
    func codes(_ bytes: Data) -> [(Int, Bool)] {
        if isComposite {
            var result: [(Int, Bool)] = []
            var index = bytes.startIndex
            while index < bytes.endIndex {
                let high = Int(bytes[index])
                let low = index + 1 < bytes.endIndex ? Int(bytes[index + 1]) : 0
                result.append((high << 8 | low, false))
                index += 2
            }
            return result
        }
        return bytes.map { (Int($0), $0 == 0x20) }
    }

    func width(of code: Int) -> Double {
        (isComposite ? composite[code] : simple[code]) ?? fallback
    }
}
