/// A rectangle (ISO 32000-2 §7.9.5), normalised so that the lower-left
/// corner has the smaller coordinates.
public struct PDFRectangle: Sendable, Hashable, CustomStringConvertible {
    public var llx: Double
    public var lly: Double
    public var urx: Double
    public var ury: Double

    public init(llx: Double, lly: Double, urx: Double, ury: Double) {
        self.llx = min(llx, urx)
        self.lly = min(lly, ury)
        self.urx = max(llx, urx)
        self.ury = max(lly, ury)
    }

    /// A rectangle from a `[x1 y1 x2 y2]` array of numbers; `nil` if it is not one.
    public init?(_ object: PDFObject?) {
        guard let values = object?.numberArray, values.count == 4, values.allSatisfy(\.isFinite) else { return nil }
        self.init(llx: values[0], lly: values[1], urx: values[2], ury: values[3])
    }

    public var width: Double { urx - llx }
    public var height: Double { ury - lly }
    public var array: [Double] { [llx, lly, urx, ury] }
    public var object: PDFObject { .numbers(array) }

    /// The overlap of two rectangles, or `nil` if they do not overlap.
    public func intersection(_ other: PDFRectangle) -> PDFRectangle? {
        let result = PDFRectangle(llx: max(llx, other.llx), lly: max(lly, other.lly),
                                  urx: min(urx, other.urx), ury: min(ury, other.ury))
        guard max(llx, other.llx) <= min(urx, other.urx), max(lly, other.lly) <= min(ury, other.ury) else {
            return nil
        }
        return result
    }

    public var description: String { "[\(llx) \(lly) \(urx) \(ury)]" }
}
