import COpenSSL
import Foundation

/// Owns the `X509_CRL` under construction; `sign` returns an independent `CRL`.
final class CRLDraft {
    private let pointer: OpaquePointer

    init() throws {
        guard let crl = X509_CRL_new() else {
            throw PKIError.openSSL(.crlBuilding, "Could not allocate a CRL")
        }
        pointer = crl
        guard X509_CRL_set_version(pointer, Int(X509_CRL_VERSION_2)) == 1 else {
            throw PKIError.openSSL(.crlBuilding, "Could not set CRL version 2")
        }
    }

    deinit {
        X509_CRL_free(pointer)
    }

    func setHeader(issuer: Certificate, thisUpdate: Date, nextUpdate: Date) throws {
        guard let name = X509_get_subject_name(issuer.pointer), X509_CRL_set_issuer_name(pointer, name) == 1 else {
            throw PKIError.openSSL(.crlBuilding, "Could not set the CRL issuer")
        }
        guard let this = ASN1Time.make(thisUpdate) else {
            throw PKIError.openSSL(.crlBuilding, "Could not encode thisUpdate \(thisUpdate)")
        }
        defer { ASN1_STRING_free(this) }
        guard let next = ASN1Time.make(nextUpdate) else {
            throw PKIError.openSSL(.crlBuilding, "Could not encode nextUpdate \(nextUpdate)")
        }
        defer { ASN1_STRING_free(next) }
        guard X509_CRL_set1_lastUpdate(pointer, this) == 1, X509_CRL_set1_nextUpdate(pointer, next) == 1 else {
            throw PKIError.openSSL(.crlBuilding, "Could not set the CRL dates")
        }
    }

    func addEntry(magnitude: Data, serialHex: String, date: Date, reason: CRLReason) throws {
        guard let revoked = X509_REVOKED_new() else {
            throw PKIError.openSSL(.crlBuilding, "Could not allocate a CRL entry")
        }
        var adopted = false
        defer { if !adopted { X509_REVOKED_free(revoked) } }
        let serial = try SerialNumber.asn1Integer(magnitude: magnitude)
        defer { ASN1_INTEGER_free(serial) }
        guard let time = ASN1Time.make(date) else {
            throw PKIError.openSSL(.crlBuilding, "Could not encode the revocation date of \(serialHex)")
        }
        defer { ASN1_STRING_free(time) }
        guard X509_REVOKED_set_serialNumber(revoked, serial) == 1,
              X509_REVOKED_set_revocationDate(revoked, time) == 1 else {
            throw PKIError.openSSL(.crlBuilding, "Could not fill the CRL entry for \(serialHex)")
        }
        if reason != .unspecified {
            guard let code = ASN1_ENUMERATED_new() else {
                throw PKIError.openSSL(.crlBuilding, "Could not allocate a reason code")
            }
            defer { ASN1_ENUMERATED_free(code) }
            guard ASN1_ENUMERATED_set(code, reason.rawValue) == 1,
                  X509_REVOKED_add1_ext_i2d(revoked, NID_crl_reason, UnsafeMutableRawPointer(code), 0, 0) == 1 else {
                throw PKIError.openSSL(.crlBuilding, "Could not add reason \(reason.name) for \(serialHex)")
            }
        }
        guard X509_CRL_add0_revoked(pointer, revoked) == 1 else {
            throw PKIError.openSSL(.crlBuilding, "Could not add the CRL entry for \(serialHex)")
        }
        adopted = true
    }

    func addExtensions(issuer: Certificate, crlNumber: Int) throws {
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer.pointer, nil, nil, pointer, 0)
        guard let authorityKeyID = X509V3_EXT_conf_nid(nil, &context, NID_authority_key_identifier, "keyid:always") else {
            throw PKIError.openSSL(.crlBuilding, "Could not build the authorityKeyIdentifier (does the CA have an SKI?)")
        }
        defer { X509_EXTENSION_free(authorityKeyID) }
        guard X509_CRL_add_ext(pointer, authorityKeyID, -1) == 1 else {
            throw PKIError.openSSL(.crlBuilding, "Could not add the authorityKeyIdentifier")
        }
        guard let number = ASN1_INTEGER_new() else {
            throw PKIError.openSSL(.crlBuilding, "Could not allocate the CRL number")
        }
        defer { ASN1_INTEGER_free(number) }
        guard ASN1_INTEGER_set_int64(number, Int64(crlNumber)) == 1,
              X509_CRL_add1_ext_i2d(pointer, NID_crl_number, UnsafeMutableRawPointer(number), 0, 0) == 1 else {
            throw PKIError.openSSL(.crlBuilding, "Could not add cRLNumber \(crlNumber)")
        }
    }

    func sign(with key: PrivateKey) throws -> CRL {
        // Keep the entries in the order they were added (already sorted by serial).
        guard X509_CRL_sign(pointer, key.pointer, EVP_sha256()) > 0 else {
            throw PKIError.openSSL(.crlBuilding, "Could not sign the CRL")
        }
        let der = try DEREncoding.encode("the new CRL", failure: .crlBuilding) { i2d_X509_CRL(pointer, $0) }
        return try CRL(der: der)
    }
}
