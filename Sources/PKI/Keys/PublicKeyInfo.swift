import COpenSSL
import Foundation

/// Facts about an `EVP_PKEY` that segel shows or branches on.
enum PublicKeyInfo {
    /// The segel key type of `pkey`, or nil for anything segel does not issue.
    static func keyType(of pkey: OpaquePointer) -> KeyType? {
        if EVP_PKEY_is_a(pkey, "RSA") == 1 {
            switch segel_EVP_PKEY_bits(pkey) {
            case 2048: return .rsa2048
            case 3072: return .rsa3072
            default: return nil
            }
        }
        if EVP_PKEY_is_a(pkey, "EC") == 1, curveName(of: pkey) == "P-256" {
            return .p256
        }
        return nil
    }

    /// NIST name of an EC key's curve ("P-256"), falling back to OpenSSL's name.
    static func curveName(of pkey: OpaquePointer) -> String? {
        var buffer = [CChar](repeating: 0, count: 80)
        var length = 0
        guard EVP_PKEY_get_group_name(pkey, &buffer, buffer.count, &length) == 1 else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        let name = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let nid = OBJ_sn2nid(name)
        if nid != NID_undef, let nist = EC_curve_nid2nist(nid) {
            return String(cString: nist)
        }
        return name
    }

    /// "RSA 2048", "EC P-256", or a best-effort description of a foreign key.
    static func description(of pkey: OpaquePointer) -> String {
        if let type = keyType(of: pkey) { return type.displayName }
        let bits = segel_EVP_PKEY_bits(pkey)
        if EVP_PKEY_is_a(pkey, "RSA") == 1 { return "RSA \(bits)" }
        if EVP_PKEY_is_a(pkey, "EC") == 1 { return "EC \(curveName(of: pkey) ?? "\(bits)")" }
        if let name = EVP_PKEY_get0_type_name(pkey) { return "\(String(cString: name)) \(bits)" }
        return "unknown \(bits)"
    }

    /// DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7).
    static func subjectPublicKeyInfoDER(of pkey: OpaquePointer) throws -> Data {
        try DEREncoding.encode("SubjectPublicKeyInfo", failure: .keyEncoding) { i2d_PUBKEY(pkey, $0) }
    }
}
