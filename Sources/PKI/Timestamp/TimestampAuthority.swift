import COpenSSL
import Foundation

/// Anything that answers an RFC 3161 request with a `TimeStampResp` (§2.4.2):
/// the authority's own TSA (`LocalTimestampAuthority`) or a server over HTTP.
public protocol TimestampAuthority: Sendable {
    /// The DER `TimeStampResp` for `request`.
    func respond(to request: TimestampRequest) throws -> Data
    /// Certificates a response from this TSA must chain to (signature checked
    /// on every response), or nil when the TSA is trusted on the strength of
    /// its transport (an external server).
    var trustedRoots: [Certificate]? { get }
}

extension TimestampAuthority {
    /// A timestamp token (the DER `ContentInfo` of a SignedData over a TSTInfo)
    /// for the SHA-256 hash `imprint`, after checking that the response was
    /// granted, is version 1, answers this request's imprint and nonce, and —
    /// with `trustedRoots` — is signed by a time-stamping certificate that
    /// chains to them (libcrypto's `TS_RESP_verify_response`).
    public func token(sha256 imprint: Data, at time: Date = Date()) throws -> Data {
        let request = try TimestampRequest(sha256: imprint)
        return try TimestampResponse.token(from: respond(to: request), answering: request,
                                           trustedRoots: trustedRoots, at: time)
    }
}

/// Reads a `TimeStampResp` with libcrypto's `TS_RESP` API.
enum TimestampResponse {
    static func token(from der: Data, answering request: TimestampRequest, trustedRoots: [Certificate]?,
                      at time: Date) throws -> Data {
        OpenSSLErrorQueue.clear()
        guard let response = DEREncoding.decode(der, free: { TS_RESP_free($0) }, { d2i_TS_RESP(nil, $0, $1) }) else {
            throw PKIError.openSSL(.timestamp, "The time-stamping authority's answer is not an RFC 3161 response")
        }
        defer { TS_RESP_free(response) }
        guard let statusInfo = TS_RESP_get_status_info(response),
              let status = TS_STATUS_INFO_get0_status(statusInfo) else {
            throw PKIError.openSSL(.timestamp, "The timestamp response has no status")
        }
        let code = ASN1_INTEGER_get(status)
        guard code == TS_STATUS_GRANTED || code == TS_STATUS_GRANTED_WITH_MODS else {
            throw PKIError(.timestamp, "The time-stamping authority refused the request (PKIStatus \(code))")
        }
        let parsedRequest = try request.parsed()
        defer { TS_REQ_free(parsedRequest) }
        guard let context = TS_REQ_to_TS_VERIFY_CTX(parsedRequest, nil) else {
            throw PKIError.openSSL(.timestamp, "Could not prepare the timestamp check")
        }
        defer { TS_VERIFY_CTX_free(context) }
        if let trustedRoots {
            guard let store = X509_STORE_new() else {
                throw PKIError.openSSL(.timestamp, "Could not allocate a certificate store")
            }
            _ = TS_VERIFY_CTX_set_store(context, store)  // the context now owns the store
            for root in trustedRoots where X509_STORE_add_cert(store, root.pointer) != 1 {
                throw PKIError.openSSL(.timestamp, "Could not trust \(root.subject)")
            }
            X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), time_t(time.timeIntervalSince1970))
            _ = TS_VERIFY_CTX_add_flags(context, Int32(TS_VFY_SIGNATURE))
        }
        guard TS_RESP_verify_response(context, response) == 1 else {
            throw PKIError.openSSL(.timestamp, "The timestamp response does not answer the request or is not signed by a trusted time-stamping certificate")
        }
        guard let token = TS_RESP_get_token(response) else {
            throw PKIError.openSSL(.timestamp, "The granted timestamp response carries no token")
        }
        return try DEREncoding.encode("a timestamp token", failure: .timestamp) { i2d_PKCS7(token, $0) }
    }
}
