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
        var path = ""
        for y in 0..<size {
            for run in darkRuns(row: y) {
                path += "M\(run.x + quietZone) \(y + quietZone)h\(run.length)v1h-\(run.length)z"
            }
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(pixels)" height="\(pixels)" \
            viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges">
            <rect width="\(side)" height="\(side)" fill="#ffffff"/>
            <path fill="#000000" d="\(path)"/>
            </svg>

            """
    }
}
