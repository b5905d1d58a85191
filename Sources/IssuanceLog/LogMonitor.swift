import Foundation

/// What a monitor checks of a published log (c2sp.org/tlog-tiles), with no
/// segel state: the checkpoint's signature; every entry bundle and hash tile
/// of its tree, each recomputed from the entries; the root; and, given an
/// earlier checkpoint, that the current tree extends it (RFC 9162 §2.1.4
/// consistency proof, computed from the tiles and verified).
public enum LogMonitor {
    /// Reads a file of the log by its path under the log's prefix
    /// (`checkpoint`, `tile/0/000`, …); nil when it does not exist.
    public typealias Fetch = (String) throws -> Data?

    public struct Report: Sendable, Codable {
        public let origin: String
        public let treeSize: Int
        public let rootHash: String
        public let entries: Int
        public let tiles: Int
        /// The earlier checkpoint's tree size, when one was given and the log extends it.
        public let consistentWith: Int?

        enum CodingKeys: String, CodingKey {
            case origin, entries, tiles
            case treeSize = "tree_size"
            case rootHash = "root_hash"
            case consistentWith = "consistent_with"
        }
    }

    public struct Failure: Error, CustomStringConvertible, Sendable {
        /// The file at fault, under the log's prefix, if one is.
        public let path: String?
        public let description: String
    }

    public static func verify(fetch: Fetch, verifier: VerifierKey, since: String? = nil) throws -> Report {
        func read(_ path: String) throws -> Data {
            guard let data = try fetch(path) else { throw Failure(path: path, description: "\(path) is missing") }
            return data
        }
        let checkpoint: Checkpoint
        do {
            checkpoint = try Checkpoint.verify(String(decoding: try read("checkpoint"), as: UTF8.self), with: verifier)
        } catch let error as Checkpoint.VerificationError {
            throw Failure(path: "checkpoint", description: "the log's checkpoint does not hold: \(error)")
        }
        guard checkpoint.origin == verifier.name else {
            throw Failure(path: "checkpoint", description: "checkpoint: its origin \(checkpoint.origin) is not the log \(verifier.name)")
        }
        let size = checkpoint.size

        var tree = MerkleTree()
        var bundle = 0
        while bundle * Tiles.width < size {
            let width = min(Tiles.width, size - bundle * Tiles.width)
            let path = Tiles.entriesPath(index: bundle, width: width)
            guard let entries = Tiles.entries(ofBundle: try read(path)), entries.count == width else {
                throw Failure(path: path, description: "\(path) does not hold \(width) length-prefixed entries")
            }
            for (offset, entry) in entries.enumerated() {
                guard let text = String(data: entry, encoding: .utf8), LogEntry(text: text) != nil else {
                    throw Failure(path: path, description: "\(path): entry \(bundle * Tiles.width + offset) is not a segel log entry")
                }
                tree.append(leafHash: MerkleTree.leafHash(entry))
            }
            bundle += 1
        }
        let tiles = Tiles.tiles(of: tree, size: size)
        for tile in tiles where try read(tile.path) != tile.data {
            throw Failure(path: tile.path, description: "\(tile.path) does not hold the hashes of the log's entries")
        }
        guard tree.root(size: size) == checkpoint.root else {
            throw Failure(path: "checkpoint", description: "the root hash recomputed from the \(size) entries is not the checkpoint's")
        }

        var consistent: Int?
        if let since {
            let earlier: Checkpoint
            do {
                earlier = try Checkpoint.verify(since, with: verifier)
            } catch {
                throw Failure(path: nil, description: "the earlier checkpoint does not hold: \(error)")
            }
            guard earlier.size <= size else {
                throw Failure(path: "checkpoint", description: "checkpoint: the log was rolled back from \(earlier.size) entries to \(size)")
            }
            let proof = earlier.size == 0 ? [] : tree.consistencyProof(oldSize: earlier.size, newSize: size)
            let extends = earlier.size == 0
                ? earlier.root == MerkleTree().root(size: 0)
                : MerkleTree.verifyConsistency(oldSize: earlier.size, newSize: size, oldRoot: earlier.root,
                                               newRoot: checkpoint.root, proof: proof)
            guard extends else {
                throw Failure(path: "checkpoint", description: "checkpoint: the log forked: its tree of \(size) entries does not extend the earlier checkpoint of \(earlier.size)")
            }
            consistent = earlier.size
        }
        return Report(origin: checkpoint.origin, treeSize: size, rootHash: checkpoint.root.base64EncodedString(),
                      entries: size, tiles: tiles.count, consistentWith: consistent)
    }
}
