import Foundation

/// The visible appearance of a signature widget (ISO 32000-2 §12.5.5
/// appearance streams, §8.10 form XObjects).
public struct SignatureAppearance: Sendable {
    /// Zero-based index of the page the widget goes on.
    public var pageIndex: Int
    /// The widget's `/Rect` in the page's default user space.
    public var rect: [Double]
    /// The form XObject's `/BBox`.
    public var bbox: [Double]
    /// The form XObject's `/Matrix` (used to counter a page's `/Rotate`).
    public var matrix: [Double]?
    /// The appearance content stream, uncompressed (segel compresses it).
    public var content: Data
    /// The form XObject's `/Resources`.
    public var resources: PDFDictionary

    public init(pageIndex: Int, rect: [Double], bbox: [Double], matrix: [Double]? = nil, content: Data,
                resources: PDFDictionary) {
        self.pageIndex = pageIndex
        self.rect = rect
        self.bbox = bbox
        self.matrix = matrix
        self.content = content
        self.resources = resources
    }
}
