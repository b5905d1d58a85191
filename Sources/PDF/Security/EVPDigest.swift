import COpenSSL
import Foundation

/// A message digest computed through OpenSSL's EVP interface: MD5 (RFC 1321) for the
/// key derivations of revisions 2 to 4, SHA-256, SHA-384 and SHA-512 (FIPS 180-4) for
/// revisions 5 and 6 (ISO 32000-2 §7.6.4.3). Owns one `EVP_MD_CTX`.
final class EVPDigest {
    enum Algorithm {
        case md5, sha256, sha384, sha512

        /// A static method table of the default provider; `get0`-like, never freed.
        fileprivate var method: OpaquePointer? {
            switch self {
            case .md5: EVP_md5()
            case .sha256: EVP_sha256()
            case .sha384: EVP_sha384()
            case .sha512: EVP_sha512()
            }
        }
    }

    private let context: OpaquePointer

    init(_ algorithm: Algorithm) throws {
        guard let context = EVP_MD_CTX_new() else {
            throw PDFError.openSSL("cannot allocate a digest context")
        }
        self.context = context
        guard EVP_DigestInit_ex(context, algorithm.method, nil) == 1 else {
            throw PDFError.openSSL("cannot start the \(algorithm) digest")
        }
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    func update(_ data: Data) throws {
        let status = data.withUnsafeBytes { bytes in
            EVP_DigestUpdate(context, bytes.baseAddress, bytes.count)
        }
        guard status == 1 else { throw PDFError.openSSL("digest update failed") }
    }

    func finish() throws -> Data {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &digest, &length) == 1 else {
            throw PDFError.openSSL("digest finalisation failed")
        }
        return Data(digest.prefix(Int(length)))
    }

    /// The digest of the concatenation of `parts`.
    static func hash(_ algorithm: Algorithm, _ parts: Data...) throws -> Data {
        let digest = try EVPDigest(algorithm)
        for part in parts { try digest.update(part) }
        return try digest.finish()
    }
}
