import Foundation
import PKI

extension PublishingStep {
    /// `ca.pem`, `ca.crt`, `crl.pem`, `crl.crl` and `trust.json`. The CRL is
    /// kept or signed anew as `CRLPolicy` says; only a new one needs the CA key.
    static let publishTrustMaterial = PublishingStep("Publish the CA, CRL and trust.json") { context in
        let options = context.options
        guard options.crlValidityDays >= 1, options.crlValidityDays <= 366 else {
            throw PortalError(.usage, "a CRL validity of \(options.crlValidityDays) days is out of range (1–366)")
        }
        let ca = context.source.caCertificate
        let policy = CRLPolicy(entries: context.documents.compactMap(\.crlEntry),
                               validityDays: options.crlValidityDays, now: options.now)
        let previous = previousCRL(context)
        if let previous, policy.canKeep(previous, ca: ca) {
            context.crl = previous
            context.crlIssued = false
        } else {
            let authority = try context.source.unlockCA()
            guard authority.certificate == ca else {
                throw PortalError(.trust, "the unlocked CA key belongs to a different certificate than ca.pem")
            }
            let crl = try policy.issue(after: previous, ca: authority)
            context.crl = crl
            context.crlIssued = true
            if let archive = context.source.crlArchive {
                do {
                    try FileManager.default.createDirectory(at: archive.deletingLastPathComponent(),
                                                            withIntermediateDirectories: true)
                    let archiveWriter = try SiteWriter(root: archive.deletingLastPathComponent())
                    try archiveWriter.write(crl.der, sha256: Digest.hex(Digest.sha256(crl.der)),
                                            to: archive.lastPathComponent)
                } catch {
                    throw PortalError(.io, "cannot keep the new CRL in \(archive.path)", path: archive.path)
                }
            }
        }

        context.plan("ca.pem", data: Data(ca.pem.utf8))
        context.plan("ca.crt", data: ca.der)
        context.plan("crl.pem", data: Data(context.crl.pem.utf8))
        context.plan("crl.crl", data: context.crl.der)
        let trust = TrustBundle(authority: context.siteName, siteURL: context.baseURL,
                                publishedAt: ISODate.string(context.asOf),
                                caPEM: ca.pem, crlPEM: context.crl.pem)
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
