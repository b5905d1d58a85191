import COpenSSL
import Foundation

/// A parsed X.501 `Name` (RFC 5280 §4.1.2.4) from a certificate or CRL.
public struct DistinguishedName: Sendable, Hashable, CustomStringConvertible {
    /// One attribute of one RDN, in encoding order.
    public struct Attribute: Sendable, Hashable {
        /// Dotted OID, e.g. "2.5.4.3".
        public let oid: String
        /// OpenSSL's short name, e.g. "CN", "O", "title", "emailAddress" (the OID when unknown).
        public let shortName: String
        /// The value as UTF-8 text.
        public let value: String
    }

    /// Attributes in the order they are encoded.
    public let attributes: [Attribute]
    /// RFC 4514 string form (most significant RDN last, e.g. "CN=José Müller,O=Universitas Contoh,C=ID"),
    /// with non-ASCII characters kept as UTF-8 rather than escaped.
    public let string: String
    /// DER encoding of the Name.
    public let der: Data

    public var description: String { string }

    public var commonName: String? { first(NID_commonName) }
    public var organization: String? { first(NID_organizationName) }
    public var organizationalUnit: String? { first(NID_organizationalUnitName) }
    public var title: String? { first(NID_title) }
    public var email: String? { first(NID_pkcs9_emailAddress) }
    public var country: String? { first(NID_countryName) }

    /// Every value of the attribute with this dotted OID, in encoding order.
    public func values(forOID oid: String) -> [String] {
        attributes.filter { $0.oid == oid }.map(\.value)
    }

    private func first(_ nid: Int32) -> String? {
        let oid = OIDText.dotted(nid: nid)
        return attributes.first { $0.oid == oid }?.value
    }

    /// Reads a name borrowed from a certificate, CRL or CMS structure (not freed
    /// here); an unreadable name throws `failure`, the code of the enclosing structure.
    init(borrowing name: OpaquePointer, failure: PKIError.Code) throws {
        var attributes: [Attribute] = []
        let count = X509_NAME_entry_count(name)
        for index in 0..<max(count, 0) {
            guard let entry = X509_NAME_get_entry(name, index),
                  let object = X509_NAME_ENTRY_get_object(entry),
                  let data = X509_NAME_ENTRY_get_data(entry) else {
                throw PKIError.openSSL(failure, "Name attribute \(index) is unreadable")
            }
            var utf8: UnsafeMutablePointer<UInt8>?
            let length = ASN1_STRING_to_UTF8(&utf8, data)
            guard length >= 0, let utf8 else {
                throw PKIError.openSSL(failure, "Name attribute \(index) does not convert to UTF-8")
            }
            let value = String(decoding: UnsafeBufferPointer(start: utf8, count: Int(length)), as: UTF8.self)
            segel_OPENSSL_free(utf8)
            let oid = OIDText.dotted(object)
            attributes.append(Attribute(oid: oid, shortName: OIDText.shortName(object) ?? oid, value: value))
        }
        self.attributes = attributes
        let printed = try MemoryBIO.writing(failure: failure, "a distinguished name") { bio in
            X509_NAME_print_ex(bio, name, 0, segel_XN_FLAG_RFC4514_UTF8()) >= 0
        }
        self.string = String(decoding: printed, as: UTF8.self)
        self.der = try DEREncoding.encode("a distinguished name", failure: failure) { i2d_X509_NAME(name, $0) }
    }
}
