import COpenSSL
import Foundation

/// Builds `GeneralNames` / `CRLDistributionPoints` / `AuthorityInfoAccessSyntax`
/// values (RFC 5280 §4.2.1.6, §4.2.1.13, §4.2.2.1) directly, rather than through OpenSSL's config syntax, so a URI
/// containing commas or colons cannot be misparsed into other names.
enum GeneralNames {
    /// Checks that `uri` is an absolute http(s) URI with a host, in printable ASCII
    /// (IA5String, RFC 5280 §4.2.1.6).
    static func validate(_ uri: String) throws {
        guard !uri.isEmpty, uri.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7f }) else {
            throw PKIError(.invalidURI, "The URI \"\(uri)\" must be printable ASCII without spaces (percent-encode it)")
        }
        guard let url = URL(string: uri), let scheme = url.scheme?.lowercased(),
              scheme == "https" || scheme == "http",
              let host = url.host, !host.isEmpty else {
            throw PKIError(.invalidURI, "The URI \"\(uri)\" is not an absolute http(s) URI with a host")
        }
    }

    /// A new `GENERAL_NAMES` holding one URI (caller frees with GENERAL_NAMES_free).
    static func uri(_ uri: String) throws -> OpaquePointer {
        try validate(uri)
        guard let names = segel_sk_GENERAL_NAME_new_null() else {
            throw PKIError.openSSL(.certificateIssuing, "Could not allocate GeneralNames")
        }
        guard let name = GENERAL_NAME_new() else {
            segel_GENERAL_NAMES_free(names)
            throw PKIError.openSSL(.certificateIssuing, "Could not allocate a GeneralName")
        }
        guard let string = ASN1_IA5STRING_new() else {
            GENERAL_NAME_free(name)
            segel_GENERAL_NAMES_free(names)
            throw PKIError.openSSL(.certificateIssuing, "Could not allocate an IA5String")
        }
        let bytes = Array(uri.utf8)
        guard ASN1_STRING_set(string, bytes, Int32(bytes.count)) == 1 else {
            ASN1_IA5STRING_free(string)
            GENERAL_NAME_free(name)
            segel_GENERAL_NAMES_free(names)
            throw PKIError.openSSL(.certificateIssuing, "Could not set the URI")
        }
        // The name adopts the string, then the stack adopts the name.
        GENERAL_NAME_set0_value(name, GEN_URI, UnsafeMutableRawPointer(string))
        guard segel_sk_GENERAL_NAME_push(names, name) > 0 else {
            GENERAL_NAME_free(name)
            segel_GENERAL_NAMES_free(names)
            throw PKIError.openSSL(.certificateIssuing, "Could not add the URI to GeneralNames")
        }
        return names
    }

    /// A new `CRL_DIST_POINTS` with one DistributionPoint { fullName [uri] } (caller frees).
    static func distributionPoints(_ uri: String) throws -> OpaquePointer {
        let fullName = try self.uri(uri)
        guard let points = segel_sk_DIST_POINT_new_null() else {
            segel_GENERAL_NAMES_free(fullName)
            throw PKIError.openSSL(.certificateIssuing, "Could not allocate CRLDistributionPoints")
        }
        guard let point = DIST_POINT_new() else {
            segel_GENERAL_NAMES_free(fullName)
            CRL_DIST_POINTS_free(points)
            throw PKIError.openSSL(.certificateIssuing, "Could not allocate a DistributionPoint")
        }
        guard let pointName = DIST_POINT_NAME_new() else {
            DIST_POINT_free(point)
            segel_GENERAL_NAMES_free(fullName)
            CRL_DIST_POINTS_free(points)
            throw PKIError.openSSL(.certificateIssuing, "Could not allocate a DistributionPointName")
        }
        // DistributionPointName CHOICE 0 is fullName; the point adopts the name, which adopts the URIs.
        pointName.pointee.type = 0
        pointName.pointee.name.fullname = fullName
        point.pointee.distpoint = pointName
        guard segel_sk_DIST_POINT_push(points, point) > 0 else {
            DIST_POINT_free(point)
            CRL_DIST_POINTS_free(points)
            throw PKIError.openSSL(.certificateIssuing, "Could not add the DistributionPoint")
        }
        return points
    }

    /// A new `AUTHORITY_INFO_ACCESS` with one AccessDescription { id-ad-caIssuers, uri } (caller frees).
    static func caIssuers(_ uri: String) throws -> OpaquePointer {
        let names = try self.uri(uri)
        defer { segel_GENERAL_NAMES_free(names) }
        guard let access = segel_sk_ACCESS_DESCRIPTION_new_null() else {
            throw PKIError.openSSL(.certificateIssuing, "Could not allocate AuthorityInfoAccess")
        }
        guard let description = ACCESS_DESCRIPTION_new() else {
            AUTHORITY_INFO_ACCESS_free(access)
            throw PKIError.openSSL(.certificateIssuing, "Could not allocate an AccessDescription")
        }
        // The description adopts a copy of the one URI name.
        GENERAL_NAME_free(description.pointee.location)
        description.pointee.location = GENERAL_NAME_dup(segel_sk_GENERAL_NAME_value(names, 0))
        ASN1_OBJECT_free(description.pointee.method)
        description.pointee.method = OBJ_nid2obj(NID_ad_ca_issuers)
        guard description.pointee.location != nil, description.pointee.method != nil,
              segel_sk_ACCESS_DESCRIPTION_push(access, description) > 0 else {
            ACCESS_DESCRIPTION_free(description)
            AUTHORITY_INFO_ACCESS_free(access)
            throw PKIError.openSSL(.certificateIssuing, "Could not add the caIssuers AccessDescription")
        }
        return access
    }
}
