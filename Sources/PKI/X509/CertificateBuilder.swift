import COpenSSL
import Foundation

/// Assembles and signs one X.509 v3 certificate (RFC 5280 §4.1). Owns the
/// `X509` under construction; `sign` hands back an independent `Certificate`.
final class CertificateBuilder {
    private let pointer: OpaquePointer

    init() throws {
        guard let x509 = X509_new() else {
            throw PKIError.openSSL(.certificateIssuing, "Could not allocate a certificate")
        }
        pointer = x509
        guard X509_set_version(pointer, Int(X509_VERSION_3)) == 1 else {
            throw PKIError.openSSL(.certificateIssuing, "Could not set certificate version 3")
        }
    }

    deinit {
        X509_free(pointer)
    }

    func setSerial(_ magnitude: Data) throws {
        let integer = try SerialNumber.asn1Integer(magnitude: magnitude)
        defer { ASN1_INTEGER_free(integer) }
        guard X509_set_serialNumber(pointer, integer) == 1 else {
            throw PKIError.openSSL(.certificateIssuing, "Could not set the serial number")
        }
    }

    func setValidity(notBefore: Date, notAfter: Date) throws {
        guard notBefore < notAfter else {
            throw PKIError(.invalidValidity, "notBefore \(notBefore) is not before notAfter \(notAfter)")
        }
        guard ASN1Time.set(X509_getm_notBefore(pointer), to: notBefore),
              ASN1Time.set(X509_getm_notAfter(pointer), to: notAfter) else {
            throw PKIError.openSSL(.invalidValidity, "Could not encode validity \(notBefore) – \(notAfter)")
        }
    }

    func setSubject(_ fields: DistinguishedNameFields) throws {
        let name = try NameEncoding.make(fields)
        defer { X509_NAME_free(name) }
        guard X509_set_subject_name(pointer, name) == 1 else {
            throw PKIError.openSSL(.certificateIssuing, "Could not set the subject name")
        }
    }

    /// Copies the issuer name from the issuing CA's subject (self for a root).
    func setIssuer(subjectOf issuer: OpaquePointer?) throws {
        let source = issuer ?? pointer
        guard let name = X509_get_subject_name(source), X509_set_issuer_name(pointer, name) == 1 else {
            throw PKIError.openSSL(.certificateIssuing, "Could not set the issuer name")
        }
    }

    func setPublicKey(of key: PrivateKey) throws {
        // X509_set_pubkey stores only the public half.
        guard X509_set_pubkey(pointer, key.pointer) == 1 else {
            throw PKIError.openSSL(.certificateIssuing, "Could not set the subject public key")
        }
    }

    /// Adds an extension written in OpenSSL's v3 config syntax, e.g.
    /// "critical,CA:TRUE". Only for fixed strings, never for user data.
    /// `issuer` is the CA certificate (nil: this certificate is its own issuer).
    func addExtension(_ nid: Int32, _ value: String, issuer: OpaquePointer?) throws {
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer ?? pointer, pointer, nil, nil, 0)
        guard let extensionPointer = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
            throw PKIError.openSSL(.certificateIssuing, "Could not build extension \(OIDText.dotted(nid: nid)) = \(value)")
        }
        defer { X509_EXTENSION_free(extensionPointer) }
        guard X509_add_ext(pointer, extensionPointer, -1) == 1 else {
            throw PKIError.openSSL(.certificateIssuing, "Could not add extension \(value)")
        }
    }

    /// subjectAltName with one uniformResourceIdentifier (RFC 5280 §4.2.1.6), non-critical.
    func addSubjectAltNameURI(_ uri: String) throws {
        let names = try GeneralNames.uri(uri)
        defer { segel_GENERAL_NAMES_free(names) }
        try addEncoded(NID_subject_alt_name, UnsafeMutableRawPointer(names), "subjectAltName URI \(uri)")
    }

    /// crlDistributionPoints with one DistributionPoint whose fullName is `uri`
    /// (RFC 5280 §4.2.1.13), non-critical.
    func addCRLDistributionPoint(_ uri: String) throws {
        let points = try GeneralNames.distributionPoints(uri)
        defer { CRL_DIST_POINTS_free(points) }
        try addEncoded(NID_crl_distribution_points, UnsafeMutableRawPointer(points), "crlDistributionPoints \(uri)")
    }

    /// authorityInfoAccess with one caIssuers URI (RFC 5280 §4.2.2.1), non-critical:
    /// where a validator fetches the issuing CA's certificate.
    func addCAIssuers(_ uri: String) throws {
        let access = try GeneralNames.caIssuers(uri)
        defer { AUTHORITY_INFO_ACCESS_free(access) }
        try addEncoded(NID_info_access, UnsafeMutableRawPointer(access), "authorityInfoAccess \(uri)")
    }

    /// Adds a non-critical extension from its OpenSSL structure (encoded by
    /// X509_add1_ext_i2d); `what` names it in the error.
    private func addEncoded(_ nid: Int32, _ value: UnsafeMutableRawPointer, _ what: String) throws {
        guard X509_add1_ext_i2d(pointer, nid, value, 0, UInt(X509V3_ADD_DEFAULT)) == 1 else {
            throw PKIError.openSSL(.certificateIssuing, "Could not add \(what)")
        }
    }

    /// Signs with SHA-256 (sha256WithRSAEncryption / ecdsa-with-SHA256) and returns the result.
    func sign(with key: PrivateKey) throws -> Certificate {
        guard X509_sign(pointer, key.pointer, EVP_sha256()) > 0 else {
            throw PKIError.openSSL(.certificateIssuing, "Could not sign the certificate")
        }
        // The signed X509 itself, with a reference of its own, rather than a DER round
        // trip: decoding a certificate (its public key through libcrypto 3's decoders)
        // cost ~0.4 ms per document. The builder is not used after signing.
        guard X509_up_ref(pointer) == 1 else {
            throw PKIError.openSSL(.certificateIssuing, "Could not take a reference to the new certificate")
        }
        return try Certificate(owning: pointer)
    }
}
