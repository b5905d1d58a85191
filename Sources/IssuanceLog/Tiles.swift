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
        for (level, count) in hashCounts(size) {
            for index in 0..<((count + width - 1) / width) {
                tiles.append(tile(tree, level: level, index: index, width: min(width, count - index * width)))
            }
        }
        return tiles
    }

    /// The partial tiles of the tree of `size` leaves, one per level that
    /// has one; only those `wanted` (by level, index and width) are built.
    public static func partialTiles(of tree: MerkleTree, size: Int,
                                    wanted: (_ level: Int, _ index: Int, _ width: Int) -> Bool = { _, _, _ in true }) -> [Tile] {
        precondition(size <= tree.size, "tree size beyond the leaves")
        return hashCounts(size).compactMap { level, count in
            count % width == 0 || !wanted(level, count / width, count % width) ? nil
                : tile(tree, level: level, index: count / width, width: count % width)
        }
    }

    /// For each tile level of the tree of `size` leaves that has hashes, how
    /// many: the complete subtrees of 256^level leaves.
    private static func hashCounts(_ size: Int) -> [(level: Int, count: Int)] {
        var counts: [(level: Int, count: Int)] = []
        var level = 0
        while 8 * level < Int.bitWidth - 1, size >> (8 * level) > 0 {
            counts.append((level, size >> (8 * level)))
            level += 1
        }
        return counts
    }

    private static func tile(_ tree: MerkleTree, level: Int, index: Int, width tileWidth: Int) -> Tile {
        let start = index * width
        var data = Data(capacity: tileWidth * 32)
        for hash in tree.levels[8 * level][start..<(start + tileWidth)] { data.append(hash) }
        return Tile(level: level, index: index, width: tileWidth, data: data)
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
