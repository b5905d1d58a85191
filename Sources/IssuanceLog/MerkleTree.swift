import Foundation
import Hashing

/// The Merkle tree of RFC 6962 §2.1 (RFC 9162 §2.1), with SHA-256:
/// leaf = SHA-256(0x00 ‖ entry), node = SHA-256(0x01 ‖ left ‖ right).
///
/// It keeps every hash of a *complete* subtree, level by level
/// (`levels[k][i]` covers leaves `i·2^k ..< (i+1)·2^k`), which is exactly
/// what the tiles of c2sp.org/tlog-tiles publish; any other subtree hash,
/// root, inclusion or consistency proof is put together from them in
/// O(log² n).
public struct MerkleTree: Sendable {
    public static func leafHash(_ entry: Data) -> Data {
        Digest.sha256(Data([0x00]) + entry)
    }

    public static func nodeHash(_ left: Data, _ right: Data) -> Data {
        var bytes = Data([0x01])
        bytes.reserveCapacity(65)
        bytes.append(left)
        bytes.append(right)
        return Digest.sha256(bytes)
    }

    /// `levels[0]` the leaf hashes; `levels[k]` the complete subtrees of 2^k leaves.
    public private(set) var levels: [[Data]] = [[]]

    public init() {}

    public init(leafHashes: [Data]) {
        for hash in leafHashes { append(leafHash: hash) }
    }

    public var size: Int { levels[0].count }

    /// Appends a leaf; every subtree it completes is hashed once.
    public mutating func append(leafHash: Data) {
        levels[0].append(leafHash)
        var level = 0
        while levels[level].count % 2 == 0 {
            let count = levels[level].count
            let parent = Self.nodeHash(levels[level][count - 2], levels[level][count - 1])
            if levels.count == level + 1 { levels.append([]) }
            levels[level + 1].append(parent)
            level += 1
        }
    }

    /// MTH(D[start ..< start+count]) for a range the RFC's recursion produces
    /// (or any aligned complete subtree).
    public func hash(start: Int, count: Int) -> Data {
        precondition(count >= 1 && start >= 0 && start + count <= size, "subtree out of range")
        if count & (count - 1) == 0 {
            let level = count.trailingZeroBitCount
            if start % count == 0 { return levels[level][start >> level] }
        }
        let split = Self.largestPowerOfTwo(below: count)
        return Self.nodeHash(hash(start: start, count: split), hash(start: start + split, count: count - split))
    }

    /// The root of the tree of the first `size` leaves (RFC 6962: the hash of
    /// an empty tree is SHA-256 of nothing).
    public func root(size treeSize: Int? = nil) -> Data {
        let treeSize = treeSize ?? size
        precondition(treeSize <= size, "tree size beyond the leaves")
        return treeSize == 0 ? Digest.sha256(Data()) : hash(start: 0, count: treeSize)
    }

    /// The audit path of leaf `index` in the tree of `treeSize` leaves (RFC 9162 §2.1.3.1), leaf side first.
    public func inclusionProof(index: Int, treeSize: Int) -> [Data] {
        precondition(index >= 0 && index < treeSize && treeSize <= size, "no such leaf")
        var path: [Data] = []
        func walk(_ m: Int, _ start: Int, _ n: Int) {
            guard n > 1 else { return }
            let k = Self.largestPowerOfTwo(below: n)
            if m < k {
                walk(m, start, k)
                path.append(hash(start: start + k, count: n - k))
            } else {
                walk(m - k, start + k, n - k)
                path.append(hash(start: start, count: k))
            }
        }
        walk(index, 0, treeSize)
        return path
    }

    /// The consistency proof from the tree of `oldSize` leaves to the tree of
    /// `newSize` (RFC 9162 §2.1.4.1); empty when the sizes are equal.
    public func consistencyProof(oldSize: Int, newSize: Int) -> [Data] {
        precondition(oldSize >= 1 && oldSize <= newSize && newSize <= size, "no such trees")
        var proof: [Data] = []
        func subproof(_ m: Int, _ start: Int, _ n: Int, _ complete: Bool) {
            if m == n {
                if !complete { proof.append(hash(start: start, count: n)) }
                return
            }
            let k = Self.largestPowerOfTwo(below: n)
            if m <= k {
                subproof(m, start, k, complete)
                proof.append(hash(start: start + k, count: n - k))
            } else {
                subproof(m - k, start + k, n - k, false)
                proof.append(hash(start: start, count: k))
            }
        }
        if oldSize < newSize { subproof(oldSize, 0, newSize, true) }
        return proof
    }

    /// RFC 9162 §2.1.3.2: does `proof` take the leaf hash at `index` to `root`
    /// in a tree of `treeSize` leaves?
    public static func verifyInclusion(leafHash: Data, index: Int, treeSize: Int, proof: [Data], root: Data) -> Bool {
        guard index >= 0, index < treeSize else { return false }
        var fn = index, sn = treeSize - 1
        var r = leafHash
        for p in proof {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// RFC 9162 §2.1.4.2: is the tree `newRoot` of `newSize` leaves an
    /// extension of the tree `oldRoot` of `oldSize` leaves?
    public static func verifyConsistency(oldSize: Int, newSize: Int, oldRoot: Data, newRoot: Data, proof: [Data]) -> Bool {
        guard oldSize >= 1, oldSize <= newSize else { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        guard !proof.isEmpty else { return false }
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        var fn = oldSize - 1, sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path[0], sr = path[0]
        for c in path.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = nodeHash(c, fr)
                sr = nodeHash(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && fr == oldRoot && sr == newRoot
    }

    /// The largest power of two smaller than `n` (n ≥ 2).
    static func largestPowerOfTwo(below n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }
}
