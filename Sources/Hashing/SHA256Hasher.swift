import Foundation

/// Streaming SHA-256 (FIPS 180-4), the digest of every segel signature and content address.
public final class SHA256Hasher {
    private let hasher: StreamingDigest

    public init() {
        // SHA-256 from the default provider is always available in libcrypto 3.
        hasher = try! StreamingDigest(.sha256)
    }

    public func update(_ data: Data) { hasher.update(data) }

    public func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bytes) }

    /// Adds the UTF-8 bytes of `text`.
    public func update(_ text: String) {
        var text = text
        text.withUTF8 { hasher.update(UnsafeRawBufferPointer($0)) }
    }

    /// The 32-byte digest. The hasher cannot be used afterwards.
    public func finalize() -> Data { hasher.finalize() }
}
