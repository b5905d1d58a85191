import Foundation
import IssuanceLog
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
    /// The public issuance log; nil publishes none.
    public var log: IssuanceLogSource?

    /// The issuance log's key and memory, kept outside the site.
    public struct IssuanceLogSource: Sendable {
        /// The log's public key (its name is the origin line of every checkpoint).
        public var verifier: VerifierKey
        /// Returns the signing key; called only when the log has grown.
        public var unlock: @Sendable () throws -> LogKey
        /// A folder keeping every checkpoint the log has published or may have
        /// (kept before any file that shows it is written), one file per tree
        /// size (`<size>`), so that publishing never signs a tree that does
        /// not extend them and old proofs keep their checkpoint.
        public var checkpoints: URL

        public init(verifier: VerifierKey, unlock: @escaping @Sendable () throws -> LogKey, checkpoints: URL) {
            self.verifier = verifier
            self.unlock = unlock
            self.checkpoints = checkpoints
        }
    }

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
