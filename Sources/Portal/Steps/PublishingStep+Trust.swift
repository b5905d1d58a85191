import Foundation
import PKI
import Verifier

extension PublishingStep {
    /// `ca.pem`, `ca.crt`, and — when the previous CRL can be kept, as
    /// `CRLPolicy` says — `crl.pem`, `crl.crl` and `trust.json`; otherwise
    /// `signCRL` writes those once the CA key is unlocked.
    static let publishTrustMaterial = PublishingStep("Publish the CA, CRL and trust.json") { context in
        let options = context.options
        guard options.crlValidityDays >= 1, options.crlValidityDays <= 366 else {
            throw PortalError(.usage, "a CRL validity of \(options.crlValidityDays) days is out of range (1–366)")
        }
        let ca = context.source.caCertificate
        let policy = CRLPolicy(entries: context.documents.compactMap(\.crlEntry),
                               validityDays: options.crlValidityDays, now: options.now)
        let previous = previousCRL(context)
        context.plan("ca.pem", data: Data(ca.pem.utf8))
        context.plan("ca.crt", data: ca.der)
        if let previous, policy.canKeep(previous, ca: ca) {
            context.crl = previous
            context.crlIssued = false
            try planCRL(context)
        } else {
            // A new CRL needs the CA key, whose passphrase derivation is slow
            // on purpose: unlock it on another core while the pages render.
            context.crlPolicy = policy
            context.crlPrevious = previous
            context.pendingCA = Pending(context.source.unlockCA)
        }
    }

    /// Signs the new CRL when one is needed (the key was being unlocked
    /// meanwhile) and keeps a copy in the authority home.
    static let signCRL = PublishingStep("Sign the CRL") { context in
        guard let pending = context.pendingCA, let policy = context.crlPolicy else { return }
        let authority = try pending.wait()
        guard authority.certificate == context.source.caCertificate else {
            throw PortalError(.trust, "the unlocked CA key belongs to a different certificate than ca.pem")
        }
        let crl = try policy.issue(after: context.crlPrevious, ca: authority)
        context.crl = crl
        context.crlIssued = true
        if let archive = context.source.crlArchive {
            do {
                let archiveWriter = try SiteWriter(root: archive.deletingLastPathComponent())
                try archiveWriter.write(crl.der, sha256: Digest.hex(Digest.sha256(crl.der)),
                                        to: archive.lastPathComponent)
            } catch {
                throw PortalError(.io, "cannot keep the new CRL in \(archive.path)", path: archive.path)
            }
        }
        try planCRL(context)
    }

    /// `crl.pem`, `crl.crl` and `trust.json` for `context.crl`.
    private static func planCRL(_ context: PublishingContext) throws {
        context.plan("crl.pem", data: Data(context.crl.pem.utf8))
        context.plan("crl.crl", data: context.crl.der)
        // The verifier's own type, so reader and writer share one definition of the format.
        let trust = TrustStore(authority: context.siteName, siteURL: context.baseURL, publishedAt: context.asOf,
                               caPEM: context.source.caCertificate.pem, crlPEM: context.crl.pem)
        context.plan("trust.json", data: try PortalJSON.encode(trust))
    }

    /// The CRL the last publish used: the site's `crl.crl` if the manifest
    /// vouches for it, else the copy kept in the authority home; whichever has
    /// the higher cRLNumber, so numbering never goes back.
    private static func previousCRL(_ context: PublishingContext) -> CRL? {
        var candidates: [CRL] = []
        if let recorded = context.previous?.files["crl.crl"],
           let data = try? Data(contentsOf: context.writer.url("crl.crl")),
           Digest.hex(Digest.sha256(data)) == recorded,
           let crl = try? CRL(der: data) {
            candidates.append(crl)
        }
        if let archive = context.source.crlArchive, let data = try? Data(contentsOf: archive),
           let crl = try? CRL(der: data) {
            candidates.append(crl)
        }
        let ca = context.source.caCertificate
        return candidates.filter { $0.isSigned(by: ca) }.max { ($0.crlNumber ?? 0) < ($1.crlNumber ?? 0) }
    }
}
