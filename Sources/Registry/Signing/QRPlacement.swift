/// Where the QR stamp was drawn: 1-based page, lower-left corner and side
/// length in PDF user-space points (ISO 32000-2 §8.3.2.3).
public struct QRPlacement: Sendable, Hashable, Codable {
    public var page: Int
    public var x: Double
    public var y: Double
    public var size: Double

    public init(page: Int, x: Double, y: Double, size: Double) {
        self.page = page
        self.x = x
        self.y = y
        self.size = size
    }
}
