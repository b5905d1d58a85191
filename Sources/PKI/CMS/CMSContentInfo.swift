import COpenSSL
import Foundation

/// Owns one libcrypto `CMS_ContentInfo` (RFC 5652 §3 `ContentInfo`).
///
/// Used only within a single call (signing, or one verification), never shared
/// between threads: libcrypto mutates it while signing and verifying.
final class CMSContentInfo {
    let pointer: OpaquePointer

    init(owning pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        CMS_ContentInfo_free(pointer)
    }

    /// Parses a DER ContentInfo. Returns the object and the number of bytes it
    /// occupied, so callers can decide what to do with trailing bytes.
    static func parse(_ der: Data) -> (CMSContentInfo, consumed: Int)? {
        guard !der.isEmpty, der.count <= Int(Int32.max) else { return nil }
        return der.withUnsafeBytes { raw -> (CMSContentInfo, consumed: Int)? in
            let start = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var cursor: UnsafePointer<UInt8>? = UnsafePointer(start)
            guard let pointer = d2i_CMS_ContentInfo(nil, &cursor, raw.count) else { return nil }
            let object = CMSContentInfo(owning: pointer)
            guard let end = cursor else { return nil }
            return (object, end - UnsafePointer(start))
        }
    }

    func encoded(failure: PKIError.Code) throws -> Data {
        try DEREncoding.encode("a CMS ContentInfo", failure: failure) { i2d_CMS_ContentInfo(pointer, $0) }
    }

    /// The SignerInfos of a SignedData (borrowed), or nil for other content types.
    var signerInfos: [OpaquePointer]? {
        guard OBJ_obj2nid(CMS_get0_type(pointer)) == NID_pkcs7_signed,
              let stack = CMS_get0_SignerInfos(pointer) else { return nil }
        return (0..<max(segel_sk_CMS_SignerInfo_num(stack), 0)).compactMap { segel_sk_CMS_SignerInfo_value(stack, $0) }
    }
}
