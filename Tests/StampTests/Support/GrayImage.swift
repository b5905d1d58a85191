import Foundation

/// An 8-bit greyscale raster read from a binary PGM (Netpbm "P5"), the format
/// `pdftoppm -gray` writes. Row 0 is the top of the image.
struct GrayImage {
    let width: Int
    let height: Int
    let pixels: [UInt8]

    init(width: Int, height: Int, pixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    struct FormatError: Error, CustomStringConvertible {
        var description: String
    }

    init(pgm data: Data) throws {
        let bytes = [UInt8](data)
        var index = 0
        func token() throws -> String {
            // Skip white space and '#' comments between header fields.
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "#") {
                    while index < bytes.count, bytes[index] != 0x0A { index += 1 }
                } else if [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) {
                    index += 1
                } else {
                    break
                }
            }
            let start = index
            while index < bytes.count, ![0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
            guard index > start else { throw FormatError(description: "truncated PGM header") }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
        guard try token() == "P5" else { throw FormatError(description: "not a binary PGM") }
        guard let width = Int(try token()), let height = Int(try token()), let maxValue = Int(try token()),
              width > 0, height > 0, maxValue == 255
        else { throw FormatError(description: "unsupported PGM header") }
        index += 1  // the single white-space byte before the raster
        guard bytes.count - index >= width * height else { throw FormatError(description: "truncated PGM raster") }
        self.init(width: width, height: height, pixels: Array(bytes[index..<(index + width * height)]))
    }

    subscript(x: Int, y: Int) -> UInt8 { pixels[y * width + x] }

    /// Bounding box (inclusive pixel coordinates) of pixels darker than `threshold`.
    func darkBounds(threshold: UInt8 = 128) -> (minX: Int, minY: Int, maxX: Int, maxY: Int)? {
        var minX = Int.max, minY = Int.max, maxX = -1, maxY = -1
        for y in 0..<height {
            for x in 0..<width where self[x, y] < threshold {
                minX = min(minX, x); maxX = max(maxX, x)
                minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        return maxX < 0 ? nil : (minX, minY, maxX, maxY)
    }

    /// The pixels of `[x0, x1) × [y0, y1)`, surrounded by `border` white pixels.
    func cropped(x0: Int, y0: Int, x1: Int, y1: Int, border: Int = 0) -> GrayImage {
        let x0 = max(0, x0), y0 = max(0, y0), x1 = min(width, x1), y1 = min(height, y1)
        let w = x1 - x0 + 2 * border, h = y1 - y0 + 2 * border
        var out = [UInt8](repeating: 255, count: w * h)
        for y in y0..<y1 {
            for x in x0..<x1 {
                out[(y - y0 + border) * w + (x - x0 + border)] = self[x, y]
            }
        }
        return GrayImage(width: w, height: h, pixels: out)
    }

    var pgm: Data {
        Data("P5\n\(width) \(height)\n255\n".utf8) + Data(pixels)
    }
}
