/// Where a stamp goes on a page, and how its appearance is turned so that it
/// reads upright however the page is rotated.
///
/// Coordinates. "Displayed" coordinates are those of the page as a viewer
/// shows it, after `/Rotate` (ISO 32000-2 §7.7.3.3, a clockwise turn in
/// multiples of 90°): origin at the displayed lower-left corner of the
/// CropBox, x to the right, y up, in points. This is what `segel sign --x
/// --y` mean: the stamp's lower-left corner, measured from the CropBox's
/// displayed lower-left corner. The returned `rect` is the widget's `/Rect`
/// in default user space (§12.5.2), `[x0 y0 x1 y1]` with x0 < x1, y0 < y1.
///
/// Rotation. The appearance is drawn upright in form space; the returned
/// `matrix` (the form's `/Matrix`, §8.10.1) turns it counter-clockwise by
/// `/Rotate`, which the viewer's clockwise page rotation undoes. Per §12.5.5
/// the viewer transforms the form's BBox by `/Matrix`, takes the bounding box
/// of the result and maps it onto `/Rect`; `transform(bbox:matrix:rect:)`
/// computes that mapping. (`/F NoRotate` is not used: it would only keep the
/// annotation upright about its corner, not place it.)
///
/// Small pages. The stamp keeps its aspect ratio; if it is larger than the
/// CropBox, `rect` is scaled down to fit (and the margin ignored on that
/// axis). The viewer then scales the appearance into the smaller `rect`, so the
/// caller keeps the same appearance stream; the scale is
/// `(rect width) / size.width` (height for `/Rotate` 90 or 270).
public enum StampPlacement {
    /// Computes the widget `/Rect` and form `/Matrix` for a stamp of `size`
    /// (its form BBox is `[0 0 width height]`).
    ///
    /// - Parameters:
    ///   - cropBox: the page's effective CropBox in default user space (already
    ///     intersected with the MediaBox and inherited by the caller), any
    ///     two opposite corners; it need not start at 0,0.
    ///   - rotate: the page's `/Rotate`; normalised modulo 360, and, like
    ///     viewers do, treated as 0 if it is not a multiple of 90.
    ///   - margin: distance from the displayed right and bottom edges for the
    ///     default position.
    ///   - position: the stamp's lower-left corner in displayed coordinates (see
    ///     the type's documentation); nil places it in the displayed
    ///     bottom-right corner, `margin` from both edges. Clamped so the stamp
    ///     stays inside the CropBox.
    /// - Returns: `rect` for the widget and `matrix` for the form, nil when the
    ///   page is not rotated.
    /// - Throws: `StampError.invalidGeometry` if the CropBox is not four finite
    ///   numbers enclosing an area, or the size is not positive.
    public static func place(cropBox: [Double], rotate: Int, size: (width: Double, height: Double),
                             margin: Double = 24, at position: (x: Double, y: Double)? = nil) throws
        -> (rect: [Double], matrix: [Double]?)
    {
        guard cropBox.count == 4, cropBox.allSatisfy(\.isFinite) else {
            throw StampError(.invalidGeometry, "The CropBox must be four finite numbers (got \(cropBox)).")
        }
        let left = min(cropBox[0], cropBox[2]), right = max(cropBox[0], cropBox[2])
        let bottom = min(cropBox[1], cropBox[3]), top = max(cropBox[1], cropBox[3])
        let cropWidth = right - left, cropHeight = top - bottom
        guard cropWidth > 0, cropHeight > 0 else {
            throw StampError(.invalidGeometry, "The CropBox \(cropBox) encloses no area.")
        }
        guard size.width.isFinite, size.height.isFinite, size.width > 0, size.height > 0 else {
            throw StampError(.invalidGeometry, "The stamp size must be positive (got \(size.width) x \(size.height)).")
        }
        let rotation = normalizedRotation(rotate)
        let quarterTurn = rotation == 90 || rotation == 270
        let displayedWidth = quarterTurn ? cropHeight : cropWidth
        let displayedHeight = quarterTurn ? cropWidth : cropHeight

        let scale = min(1, displayedWidth / size.width, displayedHeight / size.height)
        let width = size.width * scale, height = size.height * scale
        let margin = margin.isFinite ? max(0, margin) : 0
        let requested = position ?? (x: displayedWidth - margin - width, y: margin)
        let x = clamp(requested.x.isFinite ? requested.x : 0, 0, displayedWidth - width)
        let y = clamp(requested.y.isFinite ? requested.y : 0, 0, displayedHeight - height)

        // Map the displayed box [x, x+width] × [y, y+height] back into user space
        // relative to the CropBox's lower-left corner (u, v), then translate.
        let u0, v0, u1, v1: Double
        switch rotation {
        case 90:
            // Displayed (X, Y) = (v, cropWidth − u).
            (u0, u1, v0, v1) = (cropWidth - y - height, cropWidth - y, x, x + width)
        case 180:
            // Displayed (X, Y) = (cropWidth − u, cropHeight − v).
            (u0, u1, v0, v1) = (cropWidth - x - width, cropWidth - x, cropHeight - y - height, cropHeight - y)
        case 270:
            // Displayed (X, Y) = (cropHeight − v, u).
            (u0, u1, v0, v1) = (y, y + height, cropHeight - x - width, cropHeight - x)
        default:
            (u0, u1, v0, v1) = (x, x + width, y, y + height)
        }
        let rect = [left + u0, bottom + v0, left + u1, bottom + v1]
        return (rect, matrix(rotation: rotation, width: size.width, height: size.height))
    }

    /// Where a stamp fits on blank space: the first position, scanning the
    /// displayed page from the bottom up and, in each row, from the right
    /// leftwards, where a stamp of one of `sizes` (tried in order) stays
    /// `margin` inside the CropBox and `padding` away from every box of
    /// `occupied` (default user space, e.g. ``PageInk``'s boxes). Positions
    /// are tried on a 2-point grid. Nil when no size fits anywhere.
    public static func findSpace(cropBox: [Double], rotate: Int, occupied: [[Double]],
                                 sizes: [(width: Double, height: Double)], margin: Double = 18,
                                 padding: Double = 4) throws -> (rect: [Double], matrix: [Double]?, sizeIndex: Int)? {
        guard cropBox.count == 4, cropBox.allSatisfy(\.isFinite) else {
            throw StampError(.invalidGeometry, "The CropBox must be four finite numbers (got \(cropBox)).")
        }
        let left = min(cropBox[0], cropBox[2]), right = max(cropBox[0], cropBox[2])
        let bottom = min(cropBox[1], cropBox[3]), top = max(cropBox[1], cropBox[3])
        let cropWidth = right - left, cropHeight = top - bottom
        // A 2-point grid over at most 14,400 × 14,400 points (ISO 32000-2's
        // largest page): anything larger is not a page to stamp automatically.
        guard cropWidth > 0, cropHeight > 0, cropWidth <= 14_400, cropHeight <= 14_400 else { return nil }
        let rotation = normalizedRotation(rotate)
        let quarterTurn = rotation == 90 || rotation == 270
        let displayedWidth = quarterTurn ? cropHeight : cropWidth
        let displayedHeight = quarterTurn ? cropWidth : cropHeight

        // The occupied cells of a 2-point grid over the displayed page, as 2-D prefix sums.
        let cell = 2.0
        let columns = Int((displayedWidth / cell).rounded(.up)), rows = Int((displayedHeight / cell).rounded(.up))
        // Boxes are marked in a 2-D difference array (four writes each, however
        // large), then summed twice: occupancy, then its prefix sums.
        var grid = [Int32](repeating: 0, count: (columns + 1) * (rows + 1))
        func clampCell(_ value: Double, _ upper: Int) -> Int {
            guard value.isFinite else { return value > 0 ? upper : 0 }
            return Int(min(max(value, 0), Double(upper)))
        }
        func displayed(_ x: Double, _ y: Double) -> (Double, Double) {
            let u = x - left, v = y - bottom
            switch rotation {
            case 90: return (v, cropWidth - u)
            case 180: return (cropWidth - u, cropHeight - v)
            case 270: return (cropHeight - v, u)
            default: return (u, v)
            }
        }
        for box in occupied where box.count == 4 {
            let a = displayed(box[0], box[1]), b = displayed(box[2], box[3])
            let x0 = min(a.0, b.0) - padding, x1 = max(a.0, b.0) + padding
            let y0 = min(a.1, b.1) - padding, y1 = max(a.1, b.1) + padding
            guard x1 > 0, y1 > 0, x0 < displayedWidth, y0 < displayedHeight else { continue }
            let c0 = clampCell(x0 / cell, columns - 1), c1 = clampCell((x1 / cell).rounded(.up), columns)
            let r0 = clampCell(y0 / cell, rows - 1), r1 = clampCell((y1 / cell).rounded(.up), rows)
            guard c0 < c1, r0 < r1 else { continue }
            // Cells [c0, c1) × [r0, r1), stored one row and column in.
            let w = columns + 1
            grid[(r0 + 1) * w + c0 + 1] += 1
            if c1 < columns { grid[(r0 + 1) * w + c1 + 1] -= 1 }
            if r1 < rows { grid[(r1 + 1) * w + c0 + 1] -= 1 }
            if c1 < columns, r1 < rows { grid[(r1 + 1) * w + c1 + 1] += 1 }
        }
        // Twice the prefix sum: the first turns the differences into coverage counts,
        // the second into the sums of occupied cells the search reads.
        for pass in 0..<2 {
            for r in 1...rows {
                for c in 1...columns {
                    let index = r * (columns + 1) + c
                    grid[index] += grid[index - 1] + grid[index - columns - 1] - grid[index - columns - 2]
                }
            }
            if pass == 0 {
                for index in grid.indices where grid[index] != 0 { grid[index] = grid[index] > 0 ? 1 : 0 }
            }
        }
        func occupiedCells(_ c0: Int, _ r0: Int, _ c1: Int, _ r1: Int) -> Int32 {
            let w = columns + 1
            return grid[r1 * w + c1] - grid[r0 * w + c1] - grid[r1 * w + c0] + grid[r0 * w + c0]
        }

        let edge = Int((max(0, margin) / cell).rounded(.up))
        for (index, size) in sizes.enumerated() {
            let w = Int((size.width / cell).rounded(.up)), h = Int((size.height / cell).rounded(.up))
            guard w + 2 * edge <= columns, h + 2 * edge <= rows else { continue }
            for r in edge...(rows - edge - h) {
                for c in stride(from: columns - edge - w, through: edge, by: -1)
                where occupiedCells(c, r, c + w, r + h) == 0 {
                    let placed = try place(cropBox: cropBox, rotate: rotate, size: size, margin: 0,
                                           at: (x: Double(c) * cell, y: Double(r) * cell))
                    return (placed.rect, placed.matrix, index)
                }
            }
        }
        return nil
    }

    /// The form `/Matrix` that turns a `[0 0 width height]` BBox
    /// counter-clockwise by `rotation` degrees and moves the result back to
    /// the positive quadrant; nil for 0 (identity).
    public static func matrix(rotation: Int, width: Double, height: Double) -> [Double]? {
        switch normalizedRotation(rotation) {
        case 90: [0, 1, -1, 0, height, 0]
        case 180: [-1, 0, 0, -1, width, height]
        case 270: [0, -1, 1, 0, 0, width]
        default: nil
        }
    }

    /// The matrix that maps form space to default user space when a viewer
    /// draws an appearance (ISO 32000-2 §12.5.5, steps a–c): `/Matrix`
    /// applied to `/BBox` gives a box, which matrix A translates and scales
    /// onto `/Rect`; the result is `Matrix × A`. Drawing the form's content
    /// after `q <result> cm` reproduces what a viewer shows, e.g. to flatten
    /// the stamp into page content or to test placement.
    public static func transform(bbox: [Double], matrix: [Double]?, rect: [Double]) -> [Double] {
        let m = matrix ?? [1, 0, 0, 1, 0, 0]
        let corners = [(bbox[0], bbox[1]), (bbox[2], bbox[1]), (bbox[0], bbox[3]), (bbox[2], bbox[3])]
            .map { (m[0] * $0.0 + m[2] * $0.1 + m[4], m[1] * $0.0 + m[3] * $0.1 + m[5]) }
        let minX = corners.map(\.0).min()!, maxX = corners.map(\.0).max()!
        let minY = corners.map(\.1).min()!, maxY = corners.map(\.1).max()!
        let rx0 = min(rect[0], rect[2]), rx1 = max(rect[0], rect[2])
        let ry0 = min(rect[1], rect[3]), ry1 = max(rect[1], rect[3])
        let sx = maxX > minX ? (rx1 - rx0) / (maxX - minX) : 1
        let sy = maxY > minY ? (ry1 - ry0) / (maxY - minY) : 1
        let a = [sx, 0, 0, sy, rx0 - minX * sx, ry0 - minY * sy]
        return concatenate(m, a)
    }

    /// `first` then `second`, in PDF's row-vector convention (ISO 32000-2 §8.3.4).
    static func concatenate(_ first: [Double], _ second: [Double]) -> [Double] {
        [
            first[0] * second[0] + first[1] * second[2],
            first[0] * second[1] + first[1] * second[3],
            first[2] * second[0] + first[3] * second[2],
            first[2] * second[1] + first[3] * second[3],
            first[4] * second[0] + first[5] * second[2] + second[4],
            first[4] * second[1] + first[5] * second[3] + second[5],
        ]
    }

    /// `/Rotate` as 0, 90, 180 or 270.
    public static func normalizedRotation(_ rotate: Int) -> Int {
        let r = ((rotate % 360) + 360) % 360
        return r % 90 == 0 ? r : 0
    }

    private static func clamp(_ value: Double, _ low: Double, _ high: Double) -> Double {
        min(max(value, low), max(low, high))
    }
}
