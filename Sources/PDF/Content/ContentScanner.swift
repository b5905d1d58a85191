import Foundation

/// Reads a content stream (ISO 32000-2 §7.8.2) or a CMap (§9.10.3) as operands
/// and operators. Inline image data (`BI … ID … EI`, §8.9.7) is skipped, and a
/// byte the object syntax cannot read is passed over, as viewers do.
struct ContentScanner {
    private enum Item {
        case operand(PDFObject)
        case `operator`(String)
    }

    private var parser: ObjectParser

    init(_ bytes: UnsafeRawBufferPointer) {
        parser = ObjectParser(bytes, tolerant: true, maxDepth: 32)
    }

    /// The next operator, with the operands written before it in `operands`
    /// (§7.8.2: an operator takes the operands that precede it); nil at the
    /// end, with any operands that no operator takes left in `operands`.
    mutating func nextOperator(operands: inout [PDFObject]) -> String? {
        operands.removeAll(keepingCapacity: true)
        while let item = next() {
            switch item {
            case .operand(let object): operands.append(object)
            case .operator(let word): return word
            }
        }
        return nil
    }

    private mutating func next() -> Item? {
        while true {
            parser.lexer.skipWhitespace()
            let start = parser.position
            guard start < parser.lexer.count else { return nil }
            do {
                let token = try parser.lexer.next()
                switch token {
                case .endOfInput:
                    return nil
                case .keyword(.true), .keyword(.false), .keyword(.null):
                    return .operand(try parser.object(from: token, start: start, depth: 0))
                case .keyword:
                    let word = String(decoding: UnsafeRawBufferPointer(rebasing: parser.lexer.bytes[start..<parser.position]),
                                      as: UTF8.self)
                    if word == "ID" { skipInlineImageData() }
                    return .operator(word)
                case .arrayClose, .dictionaryClose:
                    continue
                default:
                    return .operand(try parser.object(from: token, start: start, depth: 0))
                }
            } catch {
                parser.position = start + 1
            }
        }
    }

    /// After `ID` and its one white-space byte: up to white-space, `EI`, and a
    /// delimiter or the end.
    private mutating func skipInlineImageData() {
        let bytes = parser.lexer.bytes
        var index = parser.position + 1
        while index + 2 < bytes.count {
            if ByteClass.isWhitespace(bytes[index]), bytes[index + 1] == UInt8(ascii: "E"), bytes[index + 2] == UInt8(ascii: "I"),
               index + 3 == bytes.count || !ByteClass.isRegular(bytes[index + 3]) {
                parser.position = index + 1
                return
            }
            index += 1
        }
        parser.position = bytes.count
    }
}
