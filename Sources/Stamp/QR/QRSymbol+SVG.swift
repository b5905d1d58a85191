extension QRSymbol {
    /// The symbol as a standalone SVG 1.1 document: a white background and one
    /// `<path>` in which every horizontal run of dark modules is one rectangle,
    /// in module units (the `viewBox`), so it scales without seams;
    /// `shape-rendering="crispEdges"` keeps module edges sharp. `moduleSize`
    /// sets the intrinsic width/height in pixels. Deterministic output.
    public func svg(moduleSize: Int = 8, quietZone: Int = 4) -> String {
        let moduleSize = max(1, moduleSize)
        let quietZone = max(0, quietZone)
        let side = size + 2 * quietZone
        let pixels = side * moduleSize
        var path: [UInt8] = []
        appendSVGPath(quietZone: quietZone, to: &path)
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(pixels)" height="\(pixels)" \
            viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges">
            <rect width="\(side)" height="\(side)" fill="#ffffff"/>
            <path fill="#000000" d="\(String(decoding: path, as: UTF8.self))"/>
            </svg>

            """
    }

    /// The `d` data of `svg()`'s path, appended to `out`: each horizontal run
    /// of dark modules as the closed rectangle `M<x> <y>h<length>v1h-<length>z`,
    /// in module units, offset by `quietZone`. Bytes, because the portal draws
    /// one for each of thousands of pages; they are appended through `inout`
    /// parameters, since a local function capturing the buffer would make
    /// every append a run-time exclusivity check.
    public func appendSVGPath(quietZone: Int, to out: inout [UInt8]) {
        for y in 0..<size {
            forEachDarkRun(row: y) { x, length in
                out.append(UInt8(ascii: "M")); Self.appendDecimal(x + quietZone, to: &out)
                out.append(UInt8(ascii: " ")); Self.appendDecimal(y + quietZone, to: &out)
                out.append(UInt8(ascii: "h")); Self.appendDecimal(length, to: &out)
                out.append(contentsOf: "v1h-".utf8); Self.appendDecimal(length, to: &out)
                out.append(UInt8(ascii: "z"))
            }
        }
    }

    private static func appendDecimal(_ number: Int, to out: inout [UInt8]) {
        if number >= 10 { appendDecimal(number / 10, to: &out) }
        out.append(UInt8(48 + number % 10))
    }
}
