/// One cross-reference entry (ISO 32000-2 §7.5.4 table entries, §7.5.8.3
/// Table 18 stream entry types 0, 1 and 2).
public enum XRefEntry: Sendable, Hashable {
    /// Type 0 / `f`: a free entry.
    case free(nextFree: Int, generation: Int)
    /// Type 1 / `n`: an object at a byte offset in the file.
    case inUse(offset: Int, generation: Int)
    /// Type 2: the `index`-th object of object stream `objectStream` (generation 0).
    case compressed(objectStream: Int, index: Int)

    public var isFree: Bool { if case .free = self { return true } else { return false } }
}
