import Foundation

/// Predictor functions for `FlateDecode` and `LZWDecode` (ISO 32000-2 §7.4.4.4,
/// Table 10): TIFF Predictor 2 and the PNG predictors 10–15.
enum Predictor {
    static func apply(_ data: Data, parameters: PDFDictionary?) throws -> Data {
        guard let parameters, let predictor = parameters.int("Predictor"), predictor > 1 else { return data }
        let colors = parameters.int("Colors") ?? 1
        let bitsPerComponent = parameters.int("BitsPerComponent") ?? 8
        let columns = parameters.int("Columns") ?? 1
        guard (1...32).contains(colors), [1, 2, 4, 8, 16].contains(bitsPerComponent),
              columns >= 1, columns <= 1 << 24 else {
            throw PDFError(.filter, "invalid predictor parameters")
        }
        let bitsPerPixel = colors * bitsPerComponent
        let rowLength = (bitsPerPixel * columns + 7) / 8
        // A row longer than all the data is a lie that would only cost memory.
        guard rowLength <= max(data.count, 64) else {
            throw PDFError(.filter, "predictor rows are longer than the data")
        }
        let bytesPerPixel = max(1, (bitsPerPixel + 7) / 8)
        switch predictor {
        case 2:
            return tiff(data, rowLength: rowLength, colors: colors, bitsPerComponent: bitsPerComponent)
        case 10...15:
            return try png(data, rowLength: rowLength, bytesPerPixel: bytesPerPixel)
        default:
            throw PDFError(.filter, "unknown predictor \(predictor)")
        }
    }

    /// PNG filtering (RFC 2083 §6): every row starts with its filter type byte.
    private static func png(_ data: Data, rowLength: Int, bytesPerPixel: Int) throws -> Data {
        let input = [UInt8](data)
        let stride = rowLength + 1
        let rows = (input.count + stride - 1) / stride
        var output = [UInt8](repeating: 0, count: rows * rowLength)
        var previous = [UInt8](repeating: 0, count: rowLength)
        var current = [UInt8](repeating: 0, count: rowLength)
        var written = 0
        for row in 0..<rows {
            let start = row * stride
            let type = input[start]
            let available = min(rowLength, input.count - start - 1)
            for index in 0..<rowLength { current[index] = index < available ? input[start + 1 + index] : 0 }
            switch type {
            case 0:
                break
            case 1:
                for index in bytesPerPixel..<max(bytesPerPixel, rowLength) {
                    current[index] &+= current[index - bytesPerPixel]
                }
            case 2:
                for index in 0..<rowLength { current[index] &+= previous[index] }
            case 3:
                for index in 0..<rowLength {
                    let left = index >= bytesPerPixel ? Int(current[index - bytesPerPixel]) : 0
                    current[index] &+= UInt8((left + Int(previous[index])) / 2)
                }
            case 4:
                for index in 0..<rowLength {
                    let left = index >= bytesPerPixel ? Int(current[index - bytesPerPixel]) : 0
                    let up = Int(previous[index])
                    let upLeft = index >= bytesPerPixel ? Int(previous[index - bytesPerPixel]) : 0
                    let estimate = left + up - upLeft
                    let distanceLeft = abs(estimate - left)
                    let distanceUp = abs(estimate - up)
                    let distanceUpLeft = abs(estimate - upLeft)
                    let predicted: Int
                    if distanceLeft <= distanceUp && distanceLeft <= distanceUpLeft {
                        predicted = left
                    } else if distanceUp <= distanceUpLeft {
                        predicted = up
                    } else {
                        predicted = upLeft
                    }
                    current[index] &+= UInt8(predicted)
                }
            default:
                throw PDFError(.filter, "unknown PNG filter type \(type) in row \(row)")
            }
            output.replaceSubrange(written..<(written + available), with: current[0..<available])
            written += available
            swap(&previous, &current)
        }
        output.removeLast(output.count - written)
        return Data(output)
    }

    /// TIFF Predictor 2: each component is stored as the difference from the
    /// same component of the pixel to its left.
    private static func tiff(_ data: Data, rowLength: Int, colors: Int, bitsPerComponent: Int) -> Data {
        var bytes = [UInt8](data)
        let rows = bytes.count / rowLength
        for row in 0..<rows {
            let start = row * rowLength
            switch bitsPerComponent {
            case 8:
                for index in (start + colors)..<(start + rowLength) { bytes[index] &+= bytes[index - colors] }
            case 16:
                let step = 2 * colors
                var index = start + step
                while index + 1 < start + rowLength {
                    let left = UInt16(bytes[index - step]) << 8 | UInt16(bytes[index - step + 1])
                    let value = (UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])) &+ left
                    bytes[index] = UInt8(value >> 8)
                    bytes[index + 1] = UInt8(value & 0xFF)
                    index += 2
                }
            default:
                // 1, 2 or 4 bits per component: unpack, add, repack.
                let mask = (1 << bitsPerComponent) - 1
                let components = rowLength * 8 / bitsPerComponent
                var values = [Int](repeating: 0, count: components)
                for component in 0..<components {
                    let bit = component * bitsPerComponent
                    let shift = 8 - bitsPerComponent - bit % 8
                    values[component] = (Int(bytes[start + bit / 8]) >> shift) & mask
                }
                for component in colors..<max(colors, components) {
                    values[component] = (values[component] + values[component - colors]) & mask
                }
                for index in start..<(start + rowLength) { bytes[index] = 0 }
                for component in 0..<components {
                    let bit = component * bitsPerComponent
                    let shift = 8 - bitsPerComponent - bit % 8
                    bytes[start + bit / 8] |= UInt8(values[component] << shift)
                }
            }
        }
        return Data(bytes)
    }
}
