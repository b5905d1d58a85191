import COpenSSL
import Foundation

/// Certificate and CRL-entry serial numbers (RFC 5280 §4.1.2.2) as segel writes them.
///
/// Text form ("serialHex"): the integer's magnitude as big-endian bytes in
/// lowercase hex, two digits per byte, without DER's leading 0x00 sign-padding
/// byte and without any other leading zero byte; zero is "00"; a (non-conforming)
/// negative serial gets a leading "-". So `0x00a1b2` in DER reads "a1b2", and
/// `0x0a` reads "0a". Two certificates have the same serial exactly when their
/// serialHex strings are equal.
enum SerialNumber {
    /// The text form of an ASN.1 INTEGER, or nil if libcrypto cannot read it.
    static func hex(_ integer: UnsafePointer<ASN1_INTEGER>?) -> String? {
        guard let integer, let bignum = ASN1_INTEGER_to_BN(integer, nil) else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        defer { BN_free(bignum) }
        let byteCount = Int((BN_num_bits(bignum) + 7) / 8)
        guard byteCount > 0 else { return "00" }
        var bytes = [UInt8](repeating: 0, count: byteCount)
        _ = BN_bn2bin(bignum, &bytes)
        let sign = BN_is_negative(bignum) == 1 ? "-" : ""
        return sign + Digest.hex(Data(bytes))
    }

    /// A fresh positive serial of exactly 16 bytes: 126 random bits, the top bit
    /// clear (so DER needs no padding byte) and the next bit set (so the text
    /// form always has 32 digits).
    static func random() throws -> Data {
        var bytes = [UInt8](try Random.bytes(16))
        bytes[0] = (bytes[0] & 0x7f) | 0x40
        return Data(bytes)
    }

    /// Parses the text form (either case, optional colons; odd digit counts allowed).
    static func magnitude(fromHex text: String) -> Data? {
        var cleaned = text.filter { $0 != ":" }
        guard !cleaned.isEmpty, !cleaned.hasPrefix("-") else { return nil }
        if cleaned.count % 2 == 1 { cleaned = "0" + cleaned }
        return Digest.data(fromHex: cleaned)
    }

    /// A newly allocated ASN.1 INTEGER for a positive magnitude; the caller frees it.
    static func asn1Integer(magnitude: Data) throws -> UnsafeMutablePointer<ASN1_INTEGER> {
        let bignum = magnitude.withUnsafeBytes { raw in
            BN_bin2bn(raw.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(raw.count), nil)
        }
        guard let bignum else {
            throw PKIError.openSSL(.invalidSerial, "Could not build a serial number from \(magnitude.count) bytes")
        }
        defer { BN_free(bignum) }
        guard let integer = BN_to_ASN1_INTEGER(bignum, nil) else {
            throw PKIError.openSSL(.invalidSerial, "Could not encode a serial number")
        }
        return integer
    }
}
