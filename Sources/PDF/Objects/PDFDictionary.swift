/// A dictionary object (ISO 32000-2 §7.3.7) that keeps its keys in the order
/// they were read or inserted, so that writing it back is byte-stable.
///
/// Keys are name objects without the solidus. Setting a key to `nil` removes it;
/// setting an existing key keeps its position. A key whose value is the null
/// object is, per §7.3.7, equivalent to an absent key; ``subscript(_:)`` still
/// returns `.null` for it so callers can tell the file's bytes apart.
public struct PDFDictionary: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public struct Entry: Sendable, Hashable {
        public var key: String
        public var value: PDFObject
        public init(key: String, value: PDFObject) {
            self.key = key
            self.value = value
        }
    }

    public private(set) var entries: [Entry]

    public init() { entries = [] }

    public init(_ pairs: [(String, PDFObject)]) {
        entries = []
        entries.reserveCapacity(pairs.count)
        for (key, value) in pairs { self[key] = value }
    }

    public init(dictionaryLiteral elements: (String, PDFObject)...) {
        self.init(elements)
    }

    /// Entries whose keys are known to be distinct (the parser checks them).
    init(uniqueEntries: [Entry]) { entries = uniqueEntries }

    /// The same keys in the same order, each value transformed.
    public func mapValues(_ transform: (String, PDFObject) throws -> PDFObject) rethrows -> PDFDictionary {
        var result = entries
        for index in result.indices { result[index].value = try transform(result[index].key, result[index].value) }
        return PDFDictionary(uniqueEntries: result)
    }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    public var keys: [String] { entries.map(\.key) }

    public subscript(key: String) -> PDFObject? {
        get {
            for entry in entries where entry.key == key { return entry.value }
            return nil
        }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue {
                    entries[index].value = newValue
                } else {
                    entries.remove(at: index)
                }
            } else if let newValue {
                entries.append(Entry(key: key, value: newValue))
            }
        }
    }

    public func contains(_ key: String) -> Bool { entries.contains { $0.key == key } }

    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }

    /// The value of a name entry, e.g. `/Type`.
    public func name(_ key: String) -> String? { self[key]?.nameValue }
    /// The value of an integer entry.
    public func int(_ key: String) -> Int? { self[key]?.intValue }
}
