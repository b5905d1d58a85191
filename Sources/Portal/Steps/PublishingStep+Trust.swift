import Foundation
import IssuanceLog
import PKI
import Verifier

extension PublishingStep {
    /// For every CA the authority has used (`CAFiles` names them): its
    /// certificate, and — when its previous CRL can be kept, as `CRLPolicy`
    /// says — its CRL; `cas.pem` with all of them; `trust.json` once every CRL
    /// is known. CAs whose CRL must be re-signed are unlocked on a thread of
    /// lower priority (the passphrase derivation is slow on purpose) while
    /// the documents are planned and rendered.
    static let publishTrustMaterial = PublishingStep("Publish the CA, CRL and trust.json") { context in
        let options = context.options
        guard options.crlValidityDays >= 1, options.crlValidityDays <= 366 else {
            throw PortalError(.usage, "a CRL validity of \(options.crlValidityDays) days is out of range (1–366)")
        }
        let listings = context.documents.flatMap(\.published.revocationListings)
        var toSign: [Int] = []
        for authority in context.source.authorities {
            let ca = authority.certificate
            let files = CAFiles(generation: authority.generation)
            context.plan(files.certificatePEM, data: Data(ca.pem.utf8))
            context.plan(files.certificateDER, data: ca.der)
            // A CRL lists the certificates its CA issued (a listing without a
            // recorded issuer is listed by every CA, to be safe).
            let issuer = ca.subject.string
            let entries = listings.filter { $0.issuer == nil || $0.issuer == issuer }.map(\.crlEntry)
            let policy = CRLPolicy(entries: entries, validityDays: options.crlValidityDays, now: options.now)
            let previous = previousCRL(context, authority)
            if let previous, policy.canKeep(previous, ca: ca) {
                context.crls[authority.generation] = previous
            } else {
                context.crlPolicies[authority.generation] = policy
                if let previous { context.crlPrevious[authority.generation] = previous }
                toSign.append(authority.generation)
            }
        }
        context.plan(CAFiles.allCertificatesPEM,
                     data: Data(context.source.authorities.map(\.certificate.pem).joined().utf8))
        if toSign.isEmpty {
            try planCRLs(context)
        } else {
            let unlock = context.source.unlockCA
            let generations = toSign
            context.pendingCAs = Pending(.low) {
                var unlocked: [Int: CertificateAuthority] = [:]
                for generation in generations { unlocked[generation] = try unlock(generation) }
                return unlocked
            }
        }
    }

    /// Signs the CRLs that are due (their CAs were being unlocked meanwhile)
    /// and keeps a copy of each in the authority home.
    static let signCRL = PublishingStep("Sign the CRL") { context in
        guard let pending = context.pendingCAs else { return }
        let unlocked = try pending.wait()
        for authority in context.source.authorities {
            guard let policy = context.crlPolicies[authority.generation] else { continue }
            guard let ca = unlocked[authority.generation], ca.certificate == authority.certificate else {
                throw PortalError(.trust, "the unlocked key of CA generation \(authority.generation) belongs to a different certificate than \(CAFiles(generation: authority.generation).certificatePEM)")
            }
            let crl = try policy.issue(after: context.crlPrevious[authority.generation], ca: ca)
            context.crls[authority.generation] = crl
            context.crlsIssued.insert(authority.generation)
            if let archive = authority.crlArchive {
                do {
                    let archiveWriter = try SiteWriter(root: archive.deletingLastPathComponent())
                    try archiveWriter.write(crl.der, sha256: Digest.hex(Digest.sha256(crl.der)),
                                            to: archive.lastPathComponent)
                } catch {
                    throw PortalError(.io, "cannot keep the new CRL in \(archive.path)", path: archive.path)
                }
            }
        }
        try planCRLs(context)
    }

    /// Each CA's `crl*.pem` and `crl*.crl`, and `trust.json`: the first CA and
    /// its CRL in `ca_pem`/`crl_pem` (what every earlier verifier reads), and
    /// every CA with its CRL under `authorities`.
    private static func planCRLs(_ context: PublishingContext) throws {
        var authorities: [TrustStore.Authority] = []
        for authority in context.source.authorities {
            let crl = context.crls[authority.generation]!
            let files = CAFiles(generation: authority.generation)
            context.plan(files.crlPEM, data: Data(crl.pem.utf8))
            context.plan(files.crlDER, data: crl.der)
            authorities.append(TrustStore.Authority(generation: authority.generation, caPEM: authority.certificate.pem,
                                                    crlPEM: crl.pem))
        }
        // The verifier's own type, so reader and writer share one definition of the format.
        var trust = TrustStore(authority: context.siteName, siteURL: context.baseURL, publishedAt: context.asOf,
                               caPEM: authorities[0].caPEM, crlPEM: authorities[0].crlPEM)
        trust.authorities = authorities
        let timestamping = context.source.timestampRoots
        if !timestamping.isEmpty { trust.timestampPEMs = timestamping.map(\.pem) }
        trust.logVKey = context.source.log?.verifier.vkey
        context.plan("trust.json", data: try PortalJSON.encode(trust))
    }

    /// The CRL the last publish used for `authority`: the site's copy if the
    /// manifest vouches for it, else the copy kept in the authority home;
    /// whichever has the higher cRLNumber, so numbering never goes back.
    private static func previousCRL(_ context: PublishingContext, _ authority: PublishSource.Authority) -> CRL? {
        var candidates: [CRL] = []
        let name = CAFiles(generation: authority.generation).crlDER
        if let recorded = context.previous?.files[name],
           let data = try? Data(contentsOf: context.writer.url(name)),
           Digest.hex(Digest.sha256(data)) == recorded,
           let crl = try? CRL(der: data) {
            candidates.append(crl)
        }
        if let archive = authority.crlArchive, let data = try? Data(contentsOf: archive),
           let crl = try? CRL(der: data) {
            candidates.append(crl)
        }
        let ca = authority.certificate
        return candidates.filter { $0.isSigned(by: ca) }.max { ($0.crlNumber ?? 0) < ($1.crlNumber ?? 0) }
    }
}
