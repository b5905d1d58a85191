import COpenSSL
import Foundation

/// Reading and writing the signed attributes of one `SignerInfo`
/// (RFC 5652 §5.3 `signedAttrs`, §11 for the attributes' rules).
enum SignedAttributes {
    /// Dotted OIDs of the signed attributes, in encoded order.
    static func oids(_ signerInfo: OpaquePointer) -> [String] {
        let count = CMS_signed_get_attr_count(signerInfo)
        guard count > 0 else { return [] }
        return (0..<count).compactMap { index in
            guard let attribute = CMS_signed_get_attr(signerInfo, index),
                  let object = X509_ATTRIBUTE_get0_object(attribute) else { return nil }
            return OIDText.dotted(object)
        }
    }

    /// The single value of the attribute `nid`, or nil when it is absent.
    ///
    /// RFC 5652 §11 requires contentType, messageDigest and signingTime to occur
    /// at most once and to carry exactly one value; the same holds for
    /// signingCertificateV2 (RFC 5035 §3). A violation throws `.invalidCMS`.
    static func singleValue(_ signerInfo: OpaquePointer, nid: Int32,
                            label: String) throws -> UnsafeMutablePointer<ASN1_TYPE>? {
        guard let object = OBJ_nid2obj(nid) else { return nil }
        let index = CMS_signed_get_attr_by_OBJ(signerInfo, object, -1)
        guard index >= 0 else { return nil }
        guard CMS_signed_get_attr_by_OBJ(signerInfo, object, index) < 0 else {
            throw PKIError(.invalidCMS, "The signed attributes contain more than one \(label) attribute")
        }
        guard let attribute = CMS_signed_get_attr(signerInfo, index),
              X509_ATTRIBUTE_count(attribute) == 1,
              let value = X509_ATTRIBUTE_get0_type(attribute, 0) else {
            throw PKIError(.invalidCMS, "The \(label) attribute must have exactly one value")
        }
        return value
    }

    /// The DER of the signed attributes as the `SET OF Attribute` that is signed
    /// (RFC 5652 §5.4: the EXPLICIT SET OF tag, not the IMPLICIT [0]).
    static func derForSigning(_ signerInfo: OpaquePointer) throws -> Data {
        let count = CMS_signed_get_attr_count(signerInfo)
        guard count > 0 else {
            throw PKIError(.cmsSigning, "The SignerInfo has no signed attributes")
        }
        var encodings: [Data] = []
        for index in 0..<count {
            guard let attribute = CMS_signed_get_attr(signerInfo, index) else {
                throw PKIError.openSSL(.cmsSigning, "Signed attribute \(index) is unreadable")
            }
            encodings.append(try DEREncoding.encode("a signed attribute", failure: .cmsSigning) {
                i2d_X509_ATTRIBUTE(attribute, $0)
            })
        }
        // DER sorts SET OF members, which is also the order libcrypto writes them in.
        return DERWriter.setOf(encodings)
    }
}
