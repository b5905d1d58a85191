import CQRPNG
import Foundation

extension QRSymbol {
    /// The symbol as a PNG image (ISO/IEC 15948): 1-bit greyscale, black modules
    /// on white, each module `moduleSize` pixels square, surrounded by
    /// `quietZone` light modules (ISO/IEC 18004 §6.3.8 asks for at least 4).
    ///
    /// The bytes are deterministic: no tIME, text or other ancillary chunk.
    public func png(moduleSize: Int = 8, quietZone: Int = 4) throws -> Data {
        guard moduleSize > 0, quietZone >= 0 else {
            throw StampError(.invalidGeometry,
                             "PNG module size must be positive and quiet zone not negative (got \(moduleSize), \(quietZone)).")
        }
        let modulesPerSide = size + 2 * quietZone
        let (pixels, overflow) = modulesPerSide.multipliedReportingOverflow(by: moduleSize)
        guard !overflow, pixels <= 1 << 15 else {
            throw StampError(.invalidGeometry, "A \(modulesPerSide)-module QR code at \(moduleSize) px per module is too large for a PNG.")
        }
        let rowBytes = (pixels + 7) / 8
        // 1 = white in greyscale; start all white and clear the dark pixels.
        var raster = [UInt8](repeating: 0xFF, count: rowBytes * pixels)
        for my in 0..<size {
            for run in darkRuns(row: my) {
                let x0 = (quietZone + run.x) * moduleSize
                let x1 = x0 + run.length * moduleSize
                for py in 0..<moduleSize {
                    let rowStart = ((quietZone + my) * moduleSize + py) * rowBytes
                    for px in x0..<x1 {
                        raster[rowStart + (px >> 3)] &= ~(0x80 >> UInt8(px & 7))
                    }
                }
            }
        }
        var buffer = segel_png_buffer(data: nil, size: 0, capacity: 0, failed: 0)
        defer { segel_png_buffer_free(&buffer) }
        let status = raster.withUnsafeBufferPointer { rows in
            segel_png_write_gray1(rows.baseAddress, UInt32(pixels), UInt32(pixels), rowBytes, &buffer)
        }
        guard status == 0, let bytes = buffer.data else {
            throw StampError(.pngEncoding, "libpng could not write the \(pixels)x\(pixels) QR code image.")
        }
        return Data(bytes: bytes, count: buffer.size)
    }
}
