import COpenSSL
import Foundation

/// The ESS signing-certificate-v2 attribute (RFC 5035 §3, id-aa-signingCertificateV2,
/// 1.2.840.113549.1.9.16.2.47), which binds the signer's certificate to the
/// signature. Read by libcrypto (`d2i_ESS_SIGNING_CERT_V2`) and compared by
/// `OSSL_ESS_check_signing_certs`: the first `ESSCertIDv2` must carry the hash
/// of the signer certificate (and its issuer and serial number, if present).
public struct SigningCertificateV2: Sendable, Hashable {
    /// The attribute value (the DER of the outer SEQUENCE).
    public let der: Data

    init(der: Data) throws {
        guard let parsed = Self.parse(der) else {
            throw PKIError(.invalidCMS, "The signingCertificateV2 attribute is not a well-formed SigningCertificateV2")
        }
        ESS_SIGNING_CERT_V2_free(parsed)
        self.der = der
    }

    /// True when the attribute names `certificate` (libcrypto's ESS check).
    public func matches(_ certificate: Certificate) -> Bool {
        OpenSSLErrorQueue.clear()
        defer { OpenSSLErrorQueue.clear() }
        guard let parsed = Self.parse(der), let chain = segel_sk_X509_new_null() else { return false }
        defer {
            ESS_SIGNING_CERT_V2_free(parsed)
            segel_sk_X509_free(chain)
        }
        guard segel_sk_X509_push(chain, certificate.pointer) > 0 else { return false }
        return OSSL_ESS_check_signing_certs(nil, parsed, chain, 1) == 1
    }

    private static func parse(_ der: Data) -> OpaquePointer? {
        der.withUnsafeBytes { raw in
            var cursor: UnsafePointer<UInt8>? = raw.bindMemory(to: UInt8.self).baseAddress
            let parsed = d2i_ESS_SIGNING_CERT_V2(nil, &cursor, raw.count)
            // Trailing bytes after the SEQUENCE are not a SigningCertificateV2.
            guard let parsed, let cursor, cursor == raw.bindMemory(to: UInt8.self).baseAddress! + raw.count else {
                if let parsed { ESS_SIGNING_CERT_V2_free(parsed) }
                return nil
            }
            return parsed
        }
    }
}
