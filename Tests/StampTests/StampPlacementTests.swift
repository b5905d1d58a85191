import Foundation
import Testing
@testable import Stamp

@Suite struct StampPlacementTests {
    static let cropBoxes: [[Double]] = [
        [0, 0, 595.276, 841.89],          // A4
        [50, 80, 650, 850],               // CropBox not at the origin
        [-100, -200, 400, 300],           // negative origin
        [612, 792, 0, 0],                 // corners given the other way round
        [10.5, 20.25, 300.75, 150.125],   // landscape, fractional
    ]
    static let size = (width: 278.4, height: 96.0)

    /// Displayed coordinates of a user-space point, computed independently of
    /// the implementation: turn the CropBox clockwise by `rotate`, then move
    /// its displayed lower-left corner to the origin.
    static func displayed(_ point: (Double, Double), cropBox: [Double], rotate: Int) -> (Double, Double) {
        let radians = Double(rotate) * .pi / 180
        func turn(_ p: (Double, Double)) -> (Double, Double) {
            (p.0 * cos(radians) + p.1 * sin(radians), -p.0 * sin(radians) + p.1 * cos(radians))
        }
        let corners = [(cropBox[0], cropBox[1]), (cropBox[2], cropBox[1]), (cropBox[0], cropBox[3]), (cropBox[2], cropBox[3])]
            .map(turn)
        let p = turn(point)
        return (p.0 - corners.map(\.0).min()!, p.1 - corners.map(\.1).min()!)
    }

    static func displayedSize(_ cropBox: [Double], rotate: Int) -> (Double, Double) {
        let w = abs(cropBox[2] - cropBox[0]), h = abs(cropBox[3] - cropBox[1])
        return rotate % 180 == 0 ? (w, h) : (h, w)
    }

    private func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-6) -> Bool { abs(a - b) <= tolerance }

    @Test(arguments: [0, 90, 180, 270])
    func defaultIsDisplayedBottomRightInsideTheCropBox(rotate: Int) throws {
        for cropBox in Self.cropBoxes {
            let (rect, matrix) = try StampPlacement.place(cropBox: cropBox, rotate: rotate, size: Self.size)
            let (left, right) = (min(cropBox[0], cropBox[2]), max(cropBox[0], cropBox[2]))
            let (bottom, top) = (min(cropBox[1], cropBox[3]), max(cropBox[1], cropBox[3]))
            #expect(rect[0] < rect[2] && rect[1] < rect[3])
            #expect(rect[0] >= left - 1e-9 && rect[2] <= right + 1e-9, "\(rect) in \(cropBox)")
            #expect(rect[1] >= bottom - 1e-9 && rect[3] <= top + 1e-9, "\(rect) in \(cropBox)")
            #expect((matrix == nil) == (rotate == 0))

            // Where the form's own corners end up on screen: lower-left of the
            // form at the displayed lower-left of the stamp, its x axis to the right.
            let (displayedWidth, displayedHeight) = Self.displayedSize(cropBox, rotate: rotate)
            let scale = min(1, displayedWidth / Self.size.width, displayedHeight / Self.size.height)
            let (w, h) = (Self.size.width * scale, Self.size.height * scale)
            let expectedX = max(0, min(displayedWidth - 24 - w, displayedWidth - w))
            let expectedY = max(0, min(24, displayedHeight - h))
            let t = StampPlacement.transform(bbox: [0, 0, Self.size.width, Self.size.height], matrix: matrix, rect: rect)
            func screen(_ x: Double, _ y: Double) -> (Double, Double) {
                Self.displayed((t[0] * x + t[2] * y + t[4], t[1] * x + t[3] * y + t[5]), cropBox: cropBox, rotate: rotate)
            }
            let origin = screen(0, 0), xEnd = screen(Self.size.width, 0), yEnd = screen(0, Self.size.height)
            #expect(close(origin.0, expectedX) && close(origin.1, expectedY), "rotate \(rotate) \(cropBox): \(origin)")
            #expect(close(xEnd.0, expectedX + w) && close(xEnd.1, expectedY), "form x axis must run to the right")
            #expect(close(yEnd.0, expectedX) && close(yEnd.1, expectedY + h), "form y axis must run up")
        }
    }

    @Test(arguments: [0, 90, 180, 270])
    func explicitPositionIsMeasuredOnTheDisplayedPage(rotate: Int) throws {
        let cropBox: [Double] = [50, 80, 650, 850]
        let (rect, matrix) = try StampPlacement.place(cropBox: cropBox, rotate: rotate, size: Self.size, at: (x: 30, y: 40))
        let t = StampPlacement.transform(bbox: [0, 0, Self.size.width, Self.size.height], matrix: matrix, rect: rect)
        let origin = Self.displayed((t[4], t[5]), cropBox: cropBox, rotate: rotate)
        #expect(close(origin.0, 30) && close(origin.1, 40), "\(origin)")
        // No scaling on a page this size.
        #expect(close(rect[2] - rect[0], rotate % 180 == 0 ? Self.size.width : Self.size.height))
    }

    @Test(arguments: [0, 90, 180, 270])
    func positionsOffThePageAreClamped(rotate: Int) throws {
        let cropBox: [Double] = [-100, -200, 400, 300]
        for position in [(x: -50.0, y: -50.0), (x: 10_000, y: 10_000), (x: .nan, y: 5)] {
            let (rect, _) = try StampPlacement.place(cropBox: cropBox, rotate: rotate, size: Self.size, at: position)
            #expect(rect[0] >= -100 - 1e-9 && rect[2] <= 400 + 1e-9 && rect[1] >= -200 - 1e-9 && rect[3] <= 300 + 1e-9)
        }
    }

    @Test(arguments: [0, 90, 180, 270])
    func aStampLargerThanThePageIsScaledDownKeepingItsShape(rotate: Int) throws {
        let cropBox: [Double] = [0, 0, 200, 150]
        let (rect, matrix) = try StampPlacement.place(cropBox: cropBox, rotate: rotate, size: Self.size)
        let (w, h) = (rect[2] - rect[0], rect[3] - rect[1])
        let (displayedW, displayedH) = rotate % 180 == 0 ? (w, h) : (h, w)
        #expect(displayedW <= Self.size.width && close(displayedW / displayedH, Self.size.width / Self.size.height))
        #expect(rect[0] >= 0 && rect[1] >= 0 && rect[2] <= 200 + 1e-9 && rect[3] <= 150 + 1e-9)
        // The viewer's own mapping (§12.5.5) scales the unchanged form into the rect.
        let t = StampPlacement.transform(bbox: [0, 0, Self.size.width, Self.size.height], matrix: matrix, rect: rect)
        #expect(close(hypot(t[0], t[1]), displayedW / Self.size.width))
    }

    @Test func matricesRotateCounterClockwise() {
        #expect(StampPlacement.matrix(rotation: 0, width: 10, height: 4) == nil)
        #expect(StampPlacement.matrix(rotation: 90, width: 10, height: 4) == [0, 1, -1, 0, 4, 0])
        #expect(StampPlacement.matrix(rotation: 180, width: 10, height: 4) == [-1, 0, 0, -1, 10, 4])
        #expect(StampPlacement.matrix(rotation: -90, width: 10, height: 4) == [0, -1, 1, 0, 0, 10])
        #expect(StampPlacement.normalizedRotation(450) == 90)
        #expect(StampPlacement.normalizedRotation(-180) == 180)
        #expect(StampPlacement.normalizedRotation(45) == 0)
    }

    @Test func transformMapsTheRotatedBBoxOntoTheRect() {
        let t = StampPlacement.transform(bbox: [0, 0, 10, 4], matrix: [0, 1, -1, 0, 4, 0], rect: [100, 200, 104, 210])
        #expect(t == [0, 1, -1, 0, 104, 200])
        let scaled = StampPlacement.transform(bbox: [0, 0, 10, 4], matrix: nil, rect: [0, 0, 5, 2])
        #expect(scaled == [0.5, 0, 0, 0.5, 0, 0])
    }

    @Test func rejectsMalformedBoxesAndSizes() {
        let bad: [([Double], (width: Double, height: Double))] = [
            ([0, 0, 100], (10, 10)), ([0, 0, 0, 100], (10, 10)), ([0, 0, .nan, 100], (10, 10)),
            ([0, 0, 100, 100], (0, 10)), ([0, 0, 100, 100], (10, .infinity)),
        ]
        for (cropBox, size) in bad {
            #expect { try StampPlacement.place(cropBox: cropBox, rotate: 0, size: size) } throws: {
                ($0 as? StampError)?.code == .invalidGeometry
            }
        }
    }
}

@Suite("Finding free space")
struct FreeSpaceTests {
    @Test func aBlankPageTakesTheStampBottomRightAndContentPushesItAway() throws {
        let free = try #require(try StampPlacement.findSpace(cropBox: [0, 0, 595, 842], rotate: 0, occupied: [],
                                                             sizes: [(278.4, 96)]))
        #expect(free.rect[2] > 550 && free.rect[1] < 30, "\(free.rect)")
        let busy = try #require(try StampPlacement.findSpace(cropBox: [0, 0, 595, 842], rotate: 0,
                                                             occupied: [[0, 0, 595, 400]], sizes: [(278.4, 96)]))
        #expect(busy.rect[1] >= 400, "above the content: \(busy.rect)")
    }

    @Test func hostileBoxesDoNotTrapAndAFullPageHasNoSpace() throws {
        let huge: [[Double]] = [[0, 0, 1e24, 10], [-Double.infinity, 0, .infinity, 5], [.nan, 0, 10, 10],
                                [-1e300, -1e300, 1e300, 1e300]]
        #expect(try StampPlacement.findSpace(cropBox: [0, 0, 595, 842], rotate: 0, occupied: huge,
                                             sizes: [(278.4, 96), (139, 48)]) == nil)
        #expect(try StampPlacement.findSpace(cropBox: [0, 0, 1e9, 1e9], rotate: 0, occupied: [], sizes: [(278.4, 96)]) == nil,
                "pages beyond ISO 32000's largest are not stamped automatically")
        // Many page-sized boxes stay fast: each is four writes.
        let many = Array(repeating: [0.0, 0.0, 595.0, 842.0], count: 200_000)
        let started = Date()
        #expect(try StampPlacement.findSpace(cropBox: [0, 0, 595, 842], rotate: 0, occupied: many, sizes: [(278.4, 96)]) == nil)
        #expect(Date().timeIntervalSince(started) < 5)
    }
}
