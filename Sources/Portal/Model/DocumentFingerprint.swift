import Foundation
import PKI
import Record
import Registry

/// A hash of everything a document's files are made from: its published
/// record as encoded, what its page shows beyond the record, and the
/// site-wide inputs (templates, locale, time zone, names, options). Equal
/// fingerprints mean equal files, so an unchanged document is not rendered again.
enum DocumentFingerprint {
    /// Bump when the renderer changes what it derives from the same inputs.
    static let version = "segel-portal-document/2"

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
        return Data(fields.bytes)
    }

    /// The document's published record as encoded (so a field added to the
    /// record is covered without being listed here), then what its page shows
    /// beyond the record (`PageRenderer.tokenValues`). The certificate enters
    /// as its PEM text, from which the record's and the page's certificate
    /// facts are read when the document is rendered: planning parses nothing.
    static func document(_ document: SiteDocument, site: Data, log: IssuanceLogFiles.Place? = nil,
                         signatureLogs: [IssuanceLogFiles.Place?] = []) -> String {
        var fields = Fields()
        fields.bytes.append(contentsOf: site)
        let identity = PublishedRecord.CertificateIdentity(serial: document.key.serialHex, fingerprintSHA256: "")
        fields.bytes.append(contentsOf: PublishedRecord(document.published, certificate: identity)!.json())
        fields.add(document.key.certificate)
        fields.add(document.verificationURL)
        fields.add(document.published.signature.qrModules)
        fields.add(document.published.user.nim)
        fields.add(document.request.approvedAt)
        // The issuance log's part of the record and the page: the entry and the
        // checkpoint its proof leads to (whose tree fixes the proof).
        fields.add(log)
        // With several signers, every signer's certificate, stamp and entry.
        for (index, key) in document.published.keys.enumerated() where document.published.keys.count > 1 {
            fields.add(key.certificate)
            fields.add(key.signerID.map(String.init))
            fields.add(index < signatureLogs.count ? signatureLogs[index] : nil)
        }
        return fields.bytes.withUnsafeBytes { Digest.hex(Digest.sha256($0)) }
    }

    /// What decides whether a document must be read from the registry again:
    /// the site-wide part, the document's row and change stamp (schema v6: a
    /// new random stamp whenever any record its files are made of changes),
    /// and its issuance log places — every input of `document(…)`, the
    /// records by their stamp instead of their contents — and the version of
    /// segel: what `document(…)` covers by encoding the record (a field added
    /// to it, a new way to render, a new index id) the key covers by
    /// the version, so the first publish by a new version reads every
    /// document. Equal keys therefore mean equal fingerprints (given the
    /// triggers cover every table a document is made of: `ChangeStampTests`),
    /// and a document whose key the previous manifest recorded is not read at all.
    static func changeKey(_ summary: PublishedDocumentSummary, site: Data, log: IssuanceLogFiles.Place? = nil,
                          signatureLogs: [IssuanceLogFiles.Place?] = []) -> String {
        var fields = Fields()
        fields.bytes.append(contentsOf: site)
        fields.add("segel-change/1")
        fields.add(SegelVersion.current)
        fields.add(String(summary.id))
        fields.add(String(summary.changeStamp))
        for place in [log] + signatureLogs { fields.add(place) }
        return fields.bytes.withUnsafeBytes { Digest.hex(Digest.sha256($0)) }
    }

    /// Length-prefixed fields, so no two different field lists encode alike.
    struct Fields {
        var bytes: [UInt8]

        init() {
            bytes = []
            bytes.reserveCapacity(4_096)
        }

        mutating func add(_ text: String?) {
            guard let text else {
                bytes.append(contentsOf: [UInt8(ascii: "-"), UInt8(ascii: ";")])
                return
            }
            bytes.append(contentsOf: String(text.utf8.count).utf8)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: text.utf8)
            bytes.append(UInt8(ascii: ";"))
        }

        mutating func add(_ data: Data?) {
            guard let data else {
                bytes.append(contentsOf: [UInt8(ascii: "-"), UInt8(ascii: ";")])
                return
            }
            bytes.append(contentsOf: String(data.count).utf8)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: data)
            bytes.append(UInt8(ascii: ";"))
        }

        /// An issuance log place: the entry and the checkpoint its proof leads
        /// to (whose tree fixes the proof).
        mutating func add(_ place: IssuanceLogFiles.Place?) {
            add(place.map { "\($0.index)/\($0.treeSize)" })
            add(place?.entry)
            add(place?.checkpoint)
        }

        mutating func add(_ date: Date?) {
            add(date.map { String(Int64(($0.timeIntervalSince1970 * 1000).rounded())) })
        }
    }
}
