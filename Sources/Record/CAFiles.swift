/// Where each of an authority's CAs is published, the one definition shared
/// by the certificates that point there (CRL distribution point, caIssuers),
/// the portal that writes the files and the verifier that reads them.
///
/// The first CA (generation 1) keeps the names it has always had — `ca.pem`,
/// `ca.crt`, `crl.pem`, `crl.crl` — because every certificate it issued points
/// at them; each successor made by `segel ca renew` gets its own numbered
/// names (`ca-2.crt`, `crl-2.crl`, …), so a CRL address never changes issuer.
/// `cas.pem` holds every CA certificate.
public struct CAFiles: Sendable, Hashable {
    public let generation: Int

    public init(generation: Int) {
        precondition(generation >= 1, "CA generations count from 1")
        self.generation = generation
    }

    private var suffix: String { generation == 1 ? "" : "-\(generation)" }

    /// The CA certificate, PEM.
    public var certificatePEM: String { "ca\(suffix).pem" }
    /// The CA certificate, DER (authorityInfoAccess caIssuers).
    public var certificateDER: String { "ca\(suffix).crt" }
    /// The CA's current CRL, PEM.
    public var crlPEM: String { "crl\(suffix).pem" }
    /// The CA's current CRL, DER (crlDistributionPoints).
    public var crlDER: String { "crl\(suffix).crl" }

    /// Every CA certificate of the authority, PEM, oldest first.
    public static let allCertificatesPEM = "cas.pem"
}
