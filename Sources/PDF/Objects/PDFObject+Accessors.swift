extension PDFObject {
    public var isNull: Bool { if case .null = self { return true } else { return false } }

    public var boolValue: Bool? { if case .bool(let value) = self { return value } else { return nil } }

    /// The value of an integer, or of a real that holds an exact integer
    /// (some producers write `/Length 120.0`).
    public var intValue: Int? {
        switch self {
        case .integer(let value): return value
        case .real(let value):
            guard value.rounded() == value, abs(value) < 9.0e15 else { return nil }
            return Int(value)
        default: return nil
        }
    }

    /// Any number, integer or real, as a `Double`.
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .real(let value): return value
        default: return nil
        }
    }

    public var stringValue: PDFString? { if case .string(let value) = self { return value } else { return nil } }

    /// A string decoded as a text string (§7.9.2.2): UTF-16BE/UTF-8 with BOM, else PDFDocEncoding.
    public var textValue: String? { stringValue?.text }

    public var nameValue: String? { if case .name(let value) = self { return value } else { return nil } }

    public var arrayValue: [PDFObject]? { if case .array(let value) = self { return value } else { return nil } }

    /// The dictionary of a `.dictionary`; `nil` for anything else (streams included).
    public var dictionaryValue: PDFDictionary? {
        if case .dictionary(let value) = self { return value } else { return nil }
    }

    public var streamValue: PDFStream? { if case .stream(let value) = self { return value } else { return nil } }

    public var referenceValue: ObjectRef? {
        if case .reference(let value) = self { return value } else { return nil }
    }

    /// The dictionary of a `.dictionary`, or the dictionary of a `.stream`.
    public var dictionaryLike: PDFDictionary? {
        switch self {
        case .dictionary(let value): return value
        case .stream(let value): return value.dictionary
        default: return nil
        }
    }

    /// An array of numbers (a rectangle, a matrix) as doubles, or `nil` if any element is not a number.
    public var numberArray: [Double]? {
        guard let array = arrayValue else { return nil }
        var result: [Double] = []
        result.reserveCapacity(array.count)
        for element in array {
            guard let value = element.doubleValue else { return nil }
            result.append(value)
        }
        return result
    }
}

extension PDFObject {
    /// Convenience constructor for a text string (PDFDocEncoding if possible, else UTF-16BE with BOM).
    public static func text(_ value: String) -> PDFObject { .string(PDFString(text: value)) }

    /// Convenience constructor for an array of numbers, integers where exact.
    public static func numbers(_ values: [Double]) -> PDFObject {
        .array(values.map { value in
            if value.rounded() == value, abs(value) < 1.0e15 { return .integer(Int(value)) }
            return .real(value)
        })
    }
}
