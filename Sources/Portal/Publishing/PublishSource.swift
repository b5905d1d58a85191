import Foundation
import PKI
import Registry

/// Where a site's data comes from: the registry, the CA certificate (public),
/// a way to unlock the CA key — asked for only when a new CRL must be signed —
/// and where the signed PDFs are.
public struct PublishSource: Sendable {
    public var registry: Registry
    public var caCertificate: Certificate
    /// Returns the CA with its key; called at most once per publish.
    public var unlockCA: @Sendable () throws -> CertificateAuthority
    /// The signed PDF of a token (e.g. `<home>/signed/<token>.pdf`).
    public var signedPDF: @Sendable (String) -> URL
    /// Where the last issued CRL is kept outside the site (e.g. `<home>/ca/crl.der`),
    /// so its cRLNumber keeps increasing even when the site folder is new.
    public var crlArchive: URL?

    public init(registry: Registry, caCertificate: Certificate,
                unlockCA: @escaping @Sendable () throws -> CertificateAuthority,
                signedPDF: @escaping @Sendable (String) -> URL, crlArchive: URL? = nil) {
        self.registry = registry
        self.caCertificate = caCertificate
        self.unlockCA = unlockCA
        self.signedPDF = signedPDF
        self.crlArchive = crlArchive
    }
}
