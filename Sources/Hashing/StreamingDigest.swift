import COpenSSL
import Foundation

/// libcrypto could not provide a digest (allocation failure, or a provider
/// configuration without the algorithm, such as MD5 under FIPS).
public struct DigestError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// An incremental message digest over libcrypto's `EVP_MD_CTX`.
///
/// Not `Sendable`: it is mutable state meant for one task. Feed it with `update`
/// as many times as needed, then call `finalize()` once.
public final class StreamingDigest {
    public let algorithm: DigestAlgorithm
    private let context: OpaquePointer
    private var finished = false

    public init(_ algorithm: DigestAlgorithm) throws {
        self.algorithm = algorithm
        guard let context = EVP_MD_CTX_new() else {
            throw DigestError(description: "could not allocate a \(algorithm.rawValue) context")
        }
        self.context = context
        guard EVP_DigestInit_ex(context, algorithm.evpMD, nil) == 1 else {
            EVP_MD_CTX_free(context)
            throw DigestError(description: "could not initialise \(algorithm.rawValue) (libcrypto)")
        }
    }

    private init(algorithm: DigestAlgorithm, context: OpaquePointer) {
        self.algorithm = algorithm
        self.context = context
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    /// An independent digest that continues from this one's current state
    /// (`EVP_MD_CTX_copy_ex`): hashing a shared prefix once serves several
    /// digests, e.g. a whole file and a signature's ByteRange that starts at 0.
    public func copy() throws -> StreamingDigest {
        precondition(!finished, "StreamingDigest.copy called after finalize")
        guard let duplicate = EVP_MD_CTX_new() else {
            throw DigestError(description: "could not allocate a \(algorithm.rawValue) context")
        }
        guard EVP_MD_CTX_copy_ex(duplicate, context) == 1 else {
            EVP_MD_CTX_free(duplicate)
            throw DigestError(description: "could not copy a \(algorithm.rawValue) context")
        }
        return StreamingDigest(algorithm: algorithm, context: duplicate)
    }

    /// Adds bytes to the digest. Calling it after `finalize()` is a programming error.
    public func update(_ data: Data) {
        precondition(!finished, "StreamingDigest.update called after finalize")
        data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count > 0 else { return }
            // EVP_DigestUpdate on an initialised software digest cannot fail.
            _ = EVP_DigestUpdate(context, base, raw.count)
        }
    }

    /// Adds raw bytes without copying them into a `Data` first.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        precondition(!finished, "StreamingDigest.update called after finalize")
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        _ = EVP_DigestUpdate(context, base, bytes.count)
    }

    /// Returns the digest. The hasher cannot be used afterwards.
    public func finalize() -> Data {
        precondition(!finished, "StreamingDigest.finalize called twice")
        finished = true
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = EVP_DigestFinal_ex(context, &output, &length)
        return Data(output.prefix(Int(length)))
    }
}
