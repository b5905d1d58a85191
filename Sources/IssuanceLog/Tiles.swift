import Foundation

/// The static files of c2sp.org/tlog-tiles for a tree: hash tiles of height
/// 8 (`tile/<L>/<N>[.p/<W>]`) and entry bundles (`tile/entries/<N>[.p/<W>]`),
/// relative to the log's prefix.
public enum Tiles {
    /// Hashes in a full tile.
    public static let width = 256

    /// `<N>` as zero-padded three-digit path elements, all but the last
    /// prefixed with `x`: 1234067 → `x001/x234/067`.
    public static func indexPath(_ index: Int) -> String {
        precondition(index >= 0, "a tile index is not negative")
        var groups: [String] = []
        var rest = index
        repeat {
            groups.append(String(format: "%03d", rest % 1000))
            rest /= 1000
        } while rest > 0
        return groups.reversed().enumerated()
            .map { position, group in position == groups.count - 1 ? group : "x" + group }
            .joined(separator: "/")
    }

    /// The path of tile `index` at `level`, partial when `width` < 256.
    public static func tilePath(level: Int, index: Int, width: Int = Tiles.width) -> String {
        "tile/\(level)/\(indexPath(index))" + partialSuffix(width)
    }

    /// The path of entry bundle `index`, partial when `width` < 256.
    public static func entriesPath(index: Int, width: Int = Tiles.width) -> String {
        "tile/entries/\(indexPath(index))" + partialSuffix(width)
    }

    private static func partialSuffix(_ width: Int) -> String {
        precondition((1...Tiles.width).contains(width), "a tile holds 1 to 256 hashes")
        return width == Tiles.width ? "" : ".p/\(width)"
    }

    /// One tile of a tree: where it goes and its bytes.
    public struct Tile: Sendable, Hashable {
        public let level: Int
        public let index: Int
        public let width: Int
        public let data: Data

        public var path: String { Tiles.tilePath(level: level, index: index, width: width) }
        public var isFull: Bool { width == Tiles.width }
    }

    /// Every tile of the tree of `size` leaves that `tree` holds: at level
    /// `l`, the hashes of the complete subtrees of 256^l leaves, 256 to a
    /// full tile and the rest in one partial tile (none when there is no rest).
    public static func tiles(of tree: MerkleTree, size: Int) -> [Tile] {
        precondition(size <= tree.size, "tree size beyond the leaves")
        var tiles: [Tile] = []
        var level = 0
        while true {
            let treeLevel = level * 8
            let count = treeLevel < Int.bitWidth - 1 ? size >> treeLevel : 0
            if count == 0 { break }
            let hashes = tree.levels[treeLevel]
            var index = 0
            while index * width < count {
                let start = index * width
                let tileWidth = min(width, count - start)
                var data = Data(capacity: tileWidth * 32)
                for hash in hashes[start..<(start + tileWidth)] { data.append(hash) }
                tiles.append(Tile(level: level, index: index, width: tileWidth, data: data))
                index += 1
            }
            level += 1
        }
        return tiles
    }

    /// The partial tiles of the tree of `size` leaves, one per level that has one.
    public static func partialTiles(of tree: MerkleTree, size: Int) -> [Tile] {
        precondition(size <= tree.size, "tree size beyond the leaves")
        var tiles: [Tile] = []
        var level = 0
        while 8 * level < Int.bitWidth - 1, size >> (8 * level) > 0 {
            let count = size >> (8 * level)
            let tileWidth = count % width
            if tileWidth > 0 {
                var data = Data(capacity: tileWidth * 32)
                for hash in tree.levels[8 * level][(count - tileWidth)..<count] { data.append(hash) }
                tiles.append(Tile(level: level, index: count / width, width: tileWidth, data: data))
            }
            level += 1
        }
        return tiles
    }

    /// An entry bundle: each entry as a big-endian uint16 length and its bytes.
    public static func bundle(_ entries: some Sequence<Data>) -> Data {
        var data = Data()
        for entry in entries {
            precondition(entry.count <= Int(UInt16.max), "a log entry is at most 65,535 bytes")
            data.append(UInt8(entry.count >> 8))
            data.append(UInt8(entry.count & 0xFF))
            data.append(entry)
        }
        return data
    }

    /// The entries of a bundle; nil when its framing is broken.
    public static func entries(ofBundle data: Data) -> [Data]? {
        var entries: [Data] = []
        var offset = data.startIndex
        while offset < data.endIndex {
            guard data.endIndex - offset >= 2 else { return nil }
            let length = Int(data[offset]) << 8 | Int(data[offset + 1])
            offset += 2
            guard data.endIndex - offset >= length else { return nil }
            entries.append(Data(data[offset..<(offset + length)]))
            offset += length
        }
        return entries
    }
}
