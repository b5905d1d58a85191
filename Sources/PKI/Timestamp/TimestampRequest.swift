import COpenSSL
import Foundation

/// An RFC 3161 `TimeStampReq` (§2.4.1) for a SHA-256 message imprint, built with
/// libcrypto's `TS_REQ` API: version 1, a random 64-bit nonce, certReq TRUE (the
/// token then carries the TSA's certificate, as PAdES validators expect), no policy.
public struct TimestampRequest: Sendable, Hashable {
    /// The SHA-256 hash being timestamped (for a PAdES signature timestamp: of
    /// the SignerInfo's signature value, RFC 3161 Appendix A).
    public let imprint: Data
    /// The DER `TimeStampReq`, as sent to a TSA (media type `application/timestamp-query`).
    public let der: Data

    public init(sha256 imprint: Data) throws {
        guard imprint.count == DigestAlgorithm.sha256.outputLength else {
            throw PKIError(.timestamp, "A SHA-256 imprint has 32 bytes, not \(imprint.count)")
        }
        self.imprint = imprint
        let nonce = try Random.bytes(8)
        OpenSSLErrorQueue.clear()
        let request = try Self.build(imprint: imprint, nonce: nonce)
        defer { TS_REQ_free(request) }
        der = try DEREncoding.encode("a timestamp request", failure: .timestamp) { i2d_TS_REQ(request, $0) }
    }

    /// The libcrypto `TS_REQ` for `der` (caller frees).
    func parsed() throws -> OpaquePointer {
        guard let request = DEREncoding.decode(der, free: { TS_REQ_free($0) }, { d2i_TS_REQ(nil, $0, $1) }) else {
            throw PKIError.openSSL(.timestamp, "The timestamp request does not decode")
        }
        return request
    }

    private static func build(imprint: Data, nonce: Data) throws -> OpaquePointer {
        guard let request = TS_REQ_new() else {
            throw PKIError.openSSL(.timestamp, "Could not allocate a timestamp request")
        }
        var ok = TS_REQ_set_version(request, 1) == 1 && TS_REQ_set_cert_req(request, 1) == 1
        if ok, let messageImprint = TS_MSG_IMPRINT_new(), let algorithm = X509_ALGOR_new() {
            defer { TS_MSG_IMPRINT_free(messageImprint); X509_ALGOR_free(algorithm) }
            X509_ALGOR_set_md(algorithm, EVP_sha256())
            ok = TS_MSG_IMPRINT_set_algo(messageImprint, algorithm) == 1
                && imprint.withUnsafeBytes { raw in
                    TS_MSG_IMPRINT_set_msg(messageImprint, UnsafeMutablePointer(mutating: raw.bindMemory(to: UInt8.self).baseAddress),
                                           Int32(raw.count)) == 1
                }
                && TS_REQ_set_msg_imprint(request, messageImprint) == 1
        } else {
            ok = false
        }
        if ok, let integer = try? SerialNumber.asn1Integer(magnitude: nonce) {
            defer { ASN1_INTEGER_free(integer) }
            ok = TS_REQ_set_nonce(request, integer) == 1
        } else {
            ok = false
        }
        guard ok else {
            TS_REQ_free(request)
            throw PKIError.openSSL(.timestamp, "Could not build the timestamp request")
        }
        return request
    }
}
