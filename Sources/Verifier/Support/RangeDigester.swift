import Foundation
import PKI

/// Hashes the whole file and every signature's ByteRange in one pass.
///
/// A ByteRange `[0 a b c]` and the whole file share the prefix `0..<a`, and
/// SHA-256 is a Merkle–Damgård hash: the prefix is hashed once by a "trunk"
/// digest that is copied at each `a` (and at each requested checkpoint); each
/// copy then only hashes its own tail `b..<b+c`. For the usual file, whose bulk
/// lies before the last signature, the file is read and hashed about once.
/// Ranges are streamed from the source in chunks, never concatenated.
struct RangeDigester {
    /// One digest to compute: the concatenation of `ranges` under `algorithm`.
    struct Request {
        var ranges: [Range<Int>]
        var algorithm: DigestAlgorithm
    }

    struct Result {
        /// SHA-256 of the whole file.
        var file: Data
        /// SHA-256 of `0..<offset` for each requested checkpoint.
        var checkpoints: [Int: Data]
        /// One digest per request, in order.
        var digests: [Data]
    }

    let source: any ByteSource

    func run(_ requests: [Request], checkpoints: [Int]) throws -> Result {
        let count = source.count
        let trunk = try StreamingDigest(.sha256)
        // Requests that can branch off the trunk: SHA-256, first range starting at 0.
        var branchPoints = Set<Int>()
        for request in requests where request.algorithm == .sha256 {
            if let first = request.ranges.first, first.lowerBound == 0, first.upperBound <= count {
                branchPoints.insert(first.upperBound)
            }
        }
        let stops = branchPoints.union(checkpoints.filter { $0 >= 0 && $0 <= count }).sorted()
        var snapshots: [Int: StreamingDigest] = [:]
        var checkpointDigests: [Int: Data] = [:]
        var cursor = 0
        for stop in stops {
            try feed(trunk, cursor..<stop)
            cursor = stop
            if branchPoints.contains(stop) { snapshots[stop] = try trunk.copy() }
            if checkpoints.contains(stop) { checkpointDigests[stop] = try trunk.copy().finalize() }
        }
        try feed(trunk, cursor..<count)
        let file = trunk.finalize()

        var digests: [Data] = []
        digests.reserveCapacity(requests.count)
        for request in requests {
            let digest: StreamingDigest
            var remaining = request.ranges[...]
            if request.algorithm == .sha256, let first = request.ranges.first, first.lowerBound == 0,
               let snapshot = snapshots[first.upperBound] {
                digest = try snapshot.copy()
                remaining = remaining.dropFirst()
            } else {
                digest = try StreamingDigest(request.algorithm)
            }
            for range in remaining { try feed(digest, range) }
            digests.append(digest.finalize())
        }
        return Result(file: file, checkpoints: checkpointDigests, digests: digests)
    }

    private func feed(_ digest: StreamingDigest, _ range: Range<Int>) throws {
        guard !range.isEmpty else { return }
        try source.forEachChunk(in: range) { digest.update($0) }
    }
}
