import Foundation
import PKI

/// A hash of everything a document's files are made from: its records as the
/// site shows them and the site-wide inputs (templates, locale, time zone,
/// names, options). Equal fingerprints mean equal files, so an unchanged
/// document is not rendered again.
enum DocumentFingerprint {
    /// Bump when the renderer changes what it derives from the same inputs.
    static let version = "segel-portal-document/1"

    /// The site-wide part, computed once per publish.
    static func site(templates: TemplateSet, options: PublishOptions, siteName: String, baseURL: String) -> Data {
        var fields = Fields()
        fields.add(version)
        fields.add(templates.fingerprint)
        fields.add(options.locale.rawValue)
        fields.add(options.timeZone.identifier)
        fields.add(siteName)
        fields.add(baseURL)
        fields.add(options.privatePDFs ? "private" : "public")
        return fields.bytes
    }

    static func document(_ document: SiteDocument, site: Data) -> String {
        var fields = Fields()
        fields.bytes.append(site)
        let published = document.published
        fields.add(document.token)
        fields.add(document.status.rawValue)
        fields.add(document.statusReason)
        fields.add(document.statusDate)
        fields.add(document.sha256)
        fields.add(document.signedAt)
        fields.add(document.asOf)
        fields.add(document.verificationURL)
        fields.add(published.request.documentName)
        fields.add(published.request.documentType)
        fields.add(published.request.approvedAt)
        fields.add(published.user.name)
        fields.add(published.user.nim)
        fields.add(published.signer.name)
        fields.add(published.signer.title)
        fields.add(published.key.signatureID)
        fields.add(published.key.certificate)
        return Digest.hex(Digest.sha256(fields.bytes))
    }

    /// Length-prefixed fields, so no two different field lists encode alike.
    struct Fields {
        var bytes = Data()

        mutating func add(_ text: String?) {
            guard let text else {
                bytes.append(contentsOf: Array("-;".utf8))
                return
            }
            bytes.append(contentsOf: Array("\(text.utf8.count):".utf8))
            bytes.append(contentsOf: Array(text.utf8))
            bytes.append(UInt8(ascii: ";"))
        }

        mutating func add(_ date: Date?) {
            add(date.map { String(Int64(($0.timeIntervalSince1970 * 1000).rounded())) })
        }
    }
}
