import COpenSSL

/// Builds X.501 names from `DistinguishedNameFields`.
enum NameEncoding {
    /// A new `X509_NAME` (caller frees) in the order C, O, OU, CN, title, emailAddress.
    static func make(_ fields: DistinguishedNameFields) throws -> OpaquePointer {
        guard let name = X509_NAME_new() else {
            throw PKIError.openSSL(.invalidName, "Could not allocate a name")
        }
        let entries: [(Int32, String, String?)] = [
            (NID_countryName, "country", fields.country),
            (NID_organizationName, "organization", fields.organization),
            (NID_organizationalUnitName, "organizational unit", fields.organizationalUnit),
            (NID_commonName, "common name", fields.commonName),
            (NID_title, "title", fields.title),
            (NID_pkcs9_emailAddress, "e-mail address", fields.email),
        ]
        do {
            for (nid, label, value) in entries {
                guard let value, !value.isEmpty else { continue }
                try validate(value, label: label, nid: nid)
                let bytes = Array(value.utf8)
                // MBSTRING_UTF8 input; libcrypto picks the output type from its string table
                // (PrintableString for C, IA5String for e-mail, UTF8String otherwise) and enforces
                // the X.520 upper bounds (64 characters for CN, O, OU, title).
                guard X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8, bytes, Int32(bytes.count), -1, 0) == 1 else {
                    throw PKIError.openSSL(.invalidName, "The \(label) \"\(value)\" cannot be encoded (too long or wrong characters)")
                }
            }
        } catch {
            X509_NAME_free(name)
            throw error
        }
        return name
    }

    private static func validate(_ value: String, label: String, nid: Int32) throws {
        if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw PKIError(.invalidName, "The \(label) contains control characters")
        }
        if nid == NID_countryName {
            guard value.count == 2, value.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
                throw PKIError(.invalidName, "The country must be a two-letter upper-case ISO 3166 code, not \"\(value)\"")
            }
        }
        if nid == NID_pkcs9_emailAddress {
            guard value.unicodeScalars.allSatisfy(\.isASCII), value.contains("@") else {
                throw PKIError(.invalidName, "The e-mail address \"\(value)\" must be ASCII with an @")
            }
        }
    }
}
