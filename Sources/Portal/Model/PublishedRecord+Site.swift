import Foundation
import Record
import Registry

extension PublishedRecord {
    /// The record of `document`, whose certificate is `certificate` (the
    /// registry's one constructor, with the facts the portal read from it).
    init(_ document: SiteDocument, certificate: CertificateFacts, log: LogInclusion?) {
        self.init(document.published, certificate: CertificateIdentity(
            serial: certificate.serialHex, fingerprintSHA256: certificate.sha256FingerprintHex,
            notBefore: ISOTime.string(from: certificate.notBefore), notAfter: ISOTime.string(from: certificate.notAfter),
            issuer: certificate.issuer, subject: certificate.subject))!
        self.log = log
    }

    /// The record's JSON, as `PortalJSON.encode(self)` writes it (sorted keys),
    /// built directly on bytes: a site has one record per document.
    func json() -> Data {
        var out = JSONBytes(capacity: 1_600)
        out.raw("{")
        out.key("as_of"); out.string(asOf)
        out.raw(","); out.key("certificate")
        Self.write(certificate, into: &out)
        out.raw(","); out.key("document"); out.raw("{")
        out.key("name"); out.string(document.name)
        out.raw(","); out.key("requester_name"); out.string(document.requesterName)
        out.raw(","); out.key("type"); out.string(document.type)
        out.raw("},"); out.key("format"); out.string(format)
        out.raw(","); out.key("log")
        Self.write(log, into: &out)
        out.raw(","); out.key("sha256"); out.string(sha256)
        out.raw(","); out.key("signature_id"); out.string(signatureID)
        out.raw(","); out.key("signatures")
        if let signatures {
            out.raw("[")
            for (index, entry) in signatures.enumerated() {
                if index > 0 { out.raw(",") }
                out.raw("{"); out.key("certificate")
                Self.write(entry.certificate, into: &out)
                out.raw(","); out.key("log")
                Self.write(entry.log, into: &out)
                out.raw(","); out.key("position"); out.int(entry.position)
                out.raw(","); out.key("sha256"); out.string(entry.sha256)
                out.raw(","); out.key("signature_id"); out.string(entry.signatureID)
                out.raw(","); out.key("signed_at"); out.string(entry.signedAt)
                out.raw(","); out.key("signer"); out.raw("{")
                out.key("name"); out.string(entry.signer.name)
                out.raw(","); out.key("title"); out.string(entry.signer.title)
                out.raw("}}")
            }
            out.raw("]")
        } else {
            out.raw("null")
        }
        out.raw(","); out.key("signed_at"); out.string(signedAt)
        out.raw(","); out.key("signer"); out.raw("{")
        out.key("name"); out.string(signer.name)
        out.raw(","); out.key("title"); out.string(signer.title)
        out.raw("},"); out.key("status"); out.string(status.rawValue)
        out.raw(","); out.key("status_date"); out.string(statusDate)
        out.raw(","); out.key("status_reason"); out.string(statusReason)
        out.raw(","); out.key("token"); out.string(token)
        out.raw("}")
        return Data(out.bytes)
    }

    private static func write(_ certificate: CertificateIdentity, into out: inout JSONBytes) {
        out.raw("{")
        out.key("fingerprint_sha256"); out.string(certificate.fingerprintSHA256)
        out.raw(","); out.key("issuer"); out.string(certificate.issuer)
        out.raw(","); out.key("not_after"); out.string(certificate.notAfter)
        out.raw(","); out.key("not_before"); out.string(certificate.notBefore)
        out.raw(","); out.key("serial"); out.string(certificate.serial)
        out.raw(","); out.key("subject"); out.string(certificate.subject)
        out.raw("}")
    }

    private static func write(_ log: LogInclusion?, into out: inout JSONBytes) {
        guard let log else {
            out.raw("null")
            return
        }
        out.raw("{"); out.key("checkpoint"); out.string(log.checkpoint)
        out.raw(","); out.key("entry"); out.string(log.entry)
        out.raw(","); out.key("inclusion"); out.strings(log.inclusion)
        out.raw(","); out.key("index"); out.int(log.index)
        out.raw(","); out.key("tree_size"); out.int(log.treeSize)
        out.raw("}")
    }
}
