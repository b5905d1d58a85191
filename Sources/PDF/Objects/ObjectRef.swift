/// An indirect reference `N G R` (ISO 32000-2 §7.3.10): the object number and
/// generation number of an indirect object.
public struct ObjectRef: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var number: Int
    public var generation: Int

    public init(number: Int, generation: Int = 0) {
        self.number = number
        self.generation = generation
    }

    public var description: String { "\(number) \(generation) R" }

    public static func < (lhs: ObjectRef, rhs: ObjectRef) -> Bool {
        (lhs.number, lhs.generation) < (rhs.number, rhs.generation)
    }
}
