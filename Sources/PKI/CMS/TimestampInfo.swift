import COpenSSL
import Foundation

/// The parts of an RFC 3161 `TSTInfo` (§2.4.2) a timestamp is checked with,
/// read by libcrypto's `d2i_TS_TST_INFO`: the messageImprint (the hash of
/// what was timestamped, e.g. a document timestamp's ByteRange, ISO 32000-2
/// §12.8.5, or a signature value, RFC 3161 Appendix A) and genTime.
public struct TimestampInfo: Sendable, Hashable {
    /// id-ct-TSTInfo, the eContentType of a timestamp token.
    public static let contentType = "1.2.840.113549.1.9.16.1.4"

    public let hashAlgorithmOID: String
    public let hashedMessage: Data
    public let generationTime: Date

    public var hashAlgorithm: DigestAlgorithm? { DigestAlgorithm(oid: hashAlgorithmOID) }

    /// `der`: the TSTInfo (a token's eContent). Nil when libcrypto cannot read it.
    public init?(der: Data) {
        OpenSSLErrorQueue.clear()
        defer { OpenSSLErrorQueue.clear() }
        let info: OpaquePointer? = der.withUnsafeBytes { raw in
            var cursor: UnsafePointer<UInt8>? = raw.bindMemory(to: UInt8.self).baseAddress
            return d2i_TS_TST_INFO(nil, &cursor, raw.count)
        }
        guard let info else { return nil }
        defer { TS_TST_INFO_free(info) }
        guard let imprint = TS_TST_INFO_get_msg_imprint(info),
              let algorithm = TS_MSG_IMPRINT_get_algo(imprint),
              let message = TS_MSG_IMPRINT_get_msg(imprint),
              let time = ASN1Time.date(TS_TST_INFO_get_time(info)) else { return nil }
        var object: OpaquePointer?
        X509_ALGOR_get0(&object, nil, nil, algorithm)
        guard let object else { return nil }
        hashAlgorithmOID = OIDText.dotted(object)
        hashedMessage = Data(bytes: ASN1_STRING_get0_data(message), count: Int(ASN1_STRING_length(message)))
        generationTime = time
    }
}
