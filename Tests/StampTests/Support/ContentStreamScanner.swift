import Foundation

/// Reads back the content streams the renderer writes (one operator per
/// line, operands first), enough for the tests to check what is drawn where.
struct ContentStreamScanner {
    struct Operation {
        var op: String
        var operands: [String]
        /// The decoded bytes of a literal string operand (for Tj).
        var string: [UInt8]?
        var numbers: [Double] { operands.compactMap(Double.init) }
    }

    /// A line of text as drawn: font resource, size, position, WinAnsi bytes.
    struct TextLine {
        var font: String
        var size: Double
        var x: Double
        var y: Double
        var bytes: [UInt8]
    }

    let operations: [Operation]

    init(_ content: Data) {
        operations = String(decoding: content, as: UTF8.self).split(separator: "\n").map { line in
            let line = String(line)
            if let open = line.firstIndex(of: "("), let close = line.lastIndex(of: ")") {
                let literal = String(line[line.index(after: open)..<close])
                let op = line[line.index(after: close)...].trimmingCharacters(in: .whitespaces)
                return Operation(op: op, operands: [], string: Self.unescape(literal))
            }
            var tokens = line.split(separator: " ").map(String.init)
            let op = tokens.removeLast()
            return Operation(op: op, operands: tokens, string: nil)
        }
    }

    var textLines: [TextLine] {
        var lines: [TextLine] = []
        var font = "", size = 0.0, x = 0.0, y = 0.0
        for operation in operations {
            switch operation.op {
            case "Tf":
                font = operation.operands[0]
                size = operation.numbers[0]
            case "Td":
                x = operation.numbers[0]
                y = operation.numbers[1]
            case "Tj":
                lines.append(TextLine(font: font, size: size, x: x, y: y, bytes: operation.string ?? []))
            default:
                break
            }
        }
        return lines
    }

    /// Undoes the escapes of a PDF literal string (ISO 32000-2 Table 3) as the renderer writes them.
    static func unescape(_ literal: String) -> [UInt8] {
        let bytes = Array(literal.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.count {
                let next = bytes[i + 1]
                if (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(next), i + 3 < bytes.count {
                    let octal = String(decoding: bytes[(i + 1)...(i + 3)], as: UTF8.self)
                    out.append(UInt8(octal, radix: 8) ?? 0)
                    i += 4
                } else {
                    out.append(next)
                    i += 2
                }
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }
}
