import Foundation
import PKI
import Registry

/// Where a site's data comes from: the registry, the authority's CA
/// certificates (public), a way to unlock a CA key — asked for only when a
/// new CRL must be signed — and where the signed PDFs are.
public struct PublishSource: Sendable {
    /// One CA the authority has used (`segel ca renew` adds one).
    public struct Authority: Sendable {
        public var generation: Int
        public var certificate: Certificate
        /// Where the last CRL this CA signed is kept outside the site (e.g.
        /// `<home>/ca/crl.der`), so its cRLNumber keeps increasing even when
        /// the site folder is new.
        public var crlArchive: URL?

        public init(generation: Int, certificate: Certificate, crlArchive: URL? = nil) {
            self.generation = generation
            self.certificate = certificate
            self.crlArchive = crlArchive
        }
    }

    public var registry: Registry
    /// Every CA, oldest first; the last one signs new documents.
    public var authorities: [Authority]
    /// Returns one generation's CA with its key; called only for CAs whose CRL must be re-signed.
    public var unlockCA: @Sendable (Int) throws -> CertificateAuthority
    /// The signed PDF of a token (e.g. `<home>/signed/<token>.pdf`).
    public var signedPDF: @Sendable (String) -> URL
    /// The roots the authority pinned for external TSAs (`--tsa-root`; listed in trust.json).
    public var timestampRoots: [Certificate] = []

    public init(registry: Registry, authorities: [Authority],
                unlockCA: @escaping @Sendable (Int) throws -> CertificateAuthority,
                signedPDF: @escaping @Sendable (String) -> URL) {
        precondition(!authorities.isEmpty, "an authority has at least one CA")
        self.registry = registry
        self.authorities = authorities
        self.unlockCA = unlockCA
        self.signedPDF = signedPDF
    }

    /// An authority with one CA (generation 1).
    public init(registry: Registry, caCertificate: Certificate,
                unlockCA: @escaping @Sendable () throws -> CertificateAuthority,
                signedPDF: @escaping @Sendable (String) -> URL, crlArchive: URL? = nil) {
        self.init(registry: registry,
                  authorities: [Authority(generation: 1, certificate: caCertificate, crlArchive: crlArchive)],
                  unlockCA: { _ in try unlockCA() }, signedPDF: signedPDF)
    }

    /// The CA that signs new documents.
    public var caCertificate: Certificate { authorities.last!.certificate }
}
