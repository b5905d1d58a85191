import COpenSSL
import Foundation

/// The authority as its own time-stamping authority (RFC 3161): its TSA key
/// and certificate (issued by its CA, extendedKeyUsage critical timeStamping)
/// answer requests through libcrypto's `TS_RESP_CTX`: SHA-256 only, ESSCertIDv2
/// (signingCertificateV2), one-second accuracy, a random 126-bit serial, the
/// TSA certificate and `chain` in the token.
public struct LocalTimestampAuthority: TimestampAuthority {
    public let key: PrivateKey
    public let certificate: Certificate
    /// The certificates above the TSA's (the CA), included in every token.
    public let chain: [Certificate]
    /// The clock the TSA reads; `Date.init` except in tests.
    public private(set) var clock: @Sendable () -> Date

    /// The TSA policy under which segel's own TSA issues timestamps: an OID in
    /// the `2.25` arc (ITU-T X.667, derived from a UUID), so it needs no registration.
    public static let policyOID = "2.25.208214137366390391657286316425616582147"

    public init(key: PrivateKey, certificate: Certificate, chain: [Certificate],
                clock: @escaping @Sendable () -> Date = { Date() }) throws {
        guard key.publicKeyDER == certificate.publicKeyDER else {
            throw PKIError(.unsupportedKey, "The private key does not belong to the TSA certificate \(certificate.subject)")
        }
        guard certificate.isTimestamping, certificate.hasCriticalExtendedKeyUsage else {
            throw PKIError(.invalidCertificate, "\(certificate.subject) is not a time-stamping certificate (critical extendedKeyUsage timeStamping)")
        }
        self.key = key
        self.certificate = certificate
        self.chain = chain
        self.clock = clock
    }

    /// The same TSA reading another clock (a signer's fixed `now`).
    public func reading(_ clock: @escaping @Sendable () -> Date) -> LocalTimestampAuthority {
        var copy = self
        copy.clock = clock
        return copy
    }

    public var trustedRoots: [Certificate]? { chain.isEmpty ? [certificate] : chain }

    public func respond(to request: TimestampRequest) throws -> Data {
        let time = clock()
        OpenSSLErrorQueue.clear()
        guard let context = TS_RESP_CTX_new() else {
            throw PKIError.openSSL(.timestamp, "Could not allocate a timestamp response context")
        }
        defer { TS_RESP_CTX_free(context) }
        guard let policy = OBJ_txt2obj(Self.policyOID, 1) else {
            throw PKIError.openSSL(.timestamp, "Could not encode the TSA policy")
        }
        defer { ASN1_OBJECT_free(policy) }
        let chainStack = segel_sk_X509_new_null()
        defer { segel_sk_X509_free(chainStack) }
        for member in chain { _ = segel_sk_X509_push(chainStack, member.pointer) }
        guard TS_RESP_CTX_set_signer_cert(context, certificate.pointer) == 1,
              TS_RESP_CTX_set_signer_key(context, key.pointer) == 1,
              TS_RESP_CTX_set_signer_digest(context, EVP_sha256()) == 1,
              TS_RESP_CTX_set_ess_cert_id_digest(context, EVP_sha256()) == 1,
              TS_RESP_CTX_set_def_policy(context, policy) == 1,
              TS_RESP_CTX_set_certs(context, chainStack) == 1,
              TS_RESP_CTX_add_md(context, EVP_sha256()) == 1,
              TS_RESP_CTX_add_md(context, EVP_sha384()) == 1,
              TS_RESP_CTX_add_md(context, EVP_sha512()) == 1,
              TS_RESP_CTX_set_accuracy(context, 1, 0, 0) == 1 else {
            throw PKIError.openSSL(.timestamp, "Could not configure the time-stamping authority")
        }
        // The callbacks read the clock and a fresh serial through `state`.
        let state = Unmanaged.passRetained(CallbackState(time: time)).toOpaque()
        defer { Unmanaged<CallbackState>.fromOpaque(state).release() }
        TS_RESP_CTX_set_time_cb(context, { _, data, seconds, microseconds in
            guard let data, let seconds, let microseconds else { return 0 }
            let time = Unmanaged<CallbackState>.fromOpaque(data).takeUnretainedValue().time
            let whole = time.timeIntervalSince1970.rounded(.down)
            seconds.pointee = Int(whole)
            microseconds.pointee = Int((time.timeIntervalSince1970 - whole) * 1_000_000)
            return 1
        }, state)
        TS_RESP_CTX_set_serial_cb(context, { _, _ in
            guard let magnitude = try? SerialNumber.random() else { return nil }
            return try? SerialNumber.asn1Integer(magnitude: magnitude)
        }, nil)
        let response: OpaquePointer? = try MemoryBIO.reading(request.der) { bio in
            TS_RESP_create_response(context, bio)
        }
        guard let response else {
            throw PKIError.openSSL(.timestamp, "The time-stamping authority could not answer the request")
        }
        defer { TS_RESP_free(response) }
        return try DEREncoding.encode("a timestamp response", failure: .timestamp) { i2d_TS_RESP(response, $0) }
    }

    private final class CallbackState {
        let time: Date
        init(time: Date) { self.time = time }
    }
}
