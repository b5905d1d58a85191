import Foundation

extension PDFObject {
    /// Appends the object's syntax (ISO 32000-2 §7.3) to `output`.
    ///
    /// Output is deterministic: one space between tokens, reals without
    /// exponent and without trailing zeros, names with `#xx` for bytes outside
    /// the regular printable range (§7.3.5), strings hexadecimal if they were
    /// read as hexadecimal and literal with escapes otherwise (§7.3.4), and a
    /// stream's `/Length` set to its data size.
    public func write(into output: inout Data) {
        var bytes: [UInt8] = []
        write(into: &bytes)
        output.append(contentsOf: bytes)
    }

    /// The object's syntax as bytes.
    public var serialized: Data {
        var bytes: [UInt8] = []
        write(into: &bytes)
        return Data(bytes)
    }

    public func write(into output: inout [UInt8]) {
        switch self {
        case .null:
            output.append(contentsOf: Array("null".utf8))
        case .bool(let value):
            output.append(contentsOf: Array((value ? "true" : "false").utf8))
        case .integer(let value):
            output.append(contentsOf: Array(String(value).utf8))
        case .real(let value):
            output.append(contentsOf: Array(PDFObject.formatReal(value).utf8))
        case .string(let string):
            PDFObject.writeString(string, into: &output)
        case .name(let name):
            PDFObject.writeName(name, into: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(0x20) }
                element.write(into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .dictionary(let dictionary):
            PDFObject.writeDictionary(dictionary, into: &output)
        case .stream(let stream):
            var dictionary = stream.dictionary
            dictionary["Length"] = .integer(stream.data.count)
            PDFObject.writeDictionary(dictionary, into: &output)
            output.append(contentsOf: Array("\nstream\n".utf8))
            stream.data.withUnsafeBytes { output.append(contentsOf: $0) }
            output.append(contentsOf: Array("\nendstream".utf8))
        case .reference(let reference):
            output.append(contentsOf: Array("\(reference.number) \(reference.generation) R".utf8))
        }
    }

    /// Writes `N G obj … endobj` (§7.3.10) followed by an end-of-line.
    static func writeIndirect(_ object: PDFObject, reference: ObjectRef, into output: inout [UInt8]) {
        output.append(contentsOf: Array("\(reference.number) \(reference.generation) obj\n".utf8))
        object.write(into: &output)
        output.append(contentsOf: Array("\nendobj\n".utf8))
    }

    private static func writeDictionary(_ dictionary: PDFDictionary, into output: inout [UInt8]) {
        output.append(contentsOf: [UInt8(ascii: "<"), UInt8(ascii: "<")])
        for entry in dictionary {
            output.append(0x20)
            writeName(entry.key, into: &output)
            output.append(0x20)
            entry.value.write(into: &output)
        }
        output.append(contentsOf: [0x20, UInt8(ascii: ">"), UInt8(ascii: ">")])
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    static func writeName(_ name: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "/"))
        for byte in NameCoding.encode(name) {
            if byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "#"), !ByteClass.isDelimiter(byte) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "#"))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
    }

    static func writeString(_ string: PDFString, into output: inout [UInt8]) {
        if string.wasHex {
            output.reserveCapacity(output.count + string.bytes.count * 2 + 2)
            output.append(UInt8(ascii: "<"))
            for byte in string.bytes {
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
            output.append(UInt8(ascii: ">"))
            return
        }
        output.append(UInt8(ascii: "("))
        for byte in string.bytes {
            switch byte {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"):
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x00..<0x20, 0x7F:
                output.append(UInt8(ascii: "\\"))
                output.append(UInt8(ascii: "0") + (byte >> 6))
                output.append(UInt8(ascii: "0") + ((byte >> 3) & 7))
                output.append(UInt8(ascii: "0") + (byte & 7))
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: ")"))
    }

    /// §7.3.3: a real without exponent, trailing zeros trimmed; integral
    /// values print as integers; non-finite values (not representable) print as 0.
    static func formatReal(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        if value.rounded() == value, abs(value) < 1.0e15 { return String(Int(value)) }
        var text = String(format: "%.10f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        if text == "-0" || text.isEmpty { return "0" }
        return text
    }
}
