import Foundation
import Record
import Mustache
import PKI
import Stamp

/// Renders the pages of the site from the templates, building the context
/// each template documents in `templates/README.md`. Every value is passed as
/// data and escaped by Mustache's `{{ }}`; the one unescaped value, the QR
/// code's SVG, is generated here from the verification URL.
///
/// Optional values are left out of the context when absent (never passed as
/// ""), because the templates hide a section on a missing value.
struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let strings: [String: String]
    let locale: PortalLocale
    let dates: HumanDate
    let siteName: String
    let baseURL: String
    let privatePDFs: Bool
    /// The site's primary language: its pages sit at the root, the other's under `<other>/`.
    let primary: PortalLocale

    /// Where this language's pages sit: "" for the primary language, "en/" for the other.
    var prefix: String { locale == primary ? "" : "\(locale.rawValue)/" }
    /// What the way to the site root needs in front, one level more for the other language.
    private var depth: String { locale == primary ? "" : "../" }

    /// The common context of every page; `root` is the way from the page to
    /// its language's root (made the way to the site root here); `pagePath`
    /// the page's address under its language's root ("", "verify/", …;
    /// token pages add `v/<token>/` from `doc.token` in the templates).
    private func common(root: String, asOf: Date?, pagePath: String = "") -> [String: Any] {
        let siteRoot = root.hasPrefix("/") ? root : depth + root
        let otherPrefix = locale.other == primary ? "" : "\(locale.other.rawValue)/"
        var context: [String: Any] = [
            "root": siteRoot,
            // The way to this language's home page (the site root, or <lang>/ under it).
            "home": siteRoot + prefix,
            "lang": locale.rawValue,
            // The authority's time zone, for times the browser formats (the upload check).
            "time_zone": dates.timeZone.identifier,
            "page_path": pagePath,
            "lang_self": ["lang": locale.rawValue, "prefix": prefix, "name": locale.name] as [String: Any],
            "lang_other": ["lang": locale.other.rawValue, "prefix": otherPrefix, "name": locale.other.name] as [String: Any],
            "t": strings,
            "site": ["name": HTMLText.guarded(siteName), "base_url": HTMLText.guarded(baseURL)] as [String: Any],
        ]
        if let asOf {
            context["as_of"] = dates.dateTime(asOf)
            context["as_of_iso"] = ISOTime.string(from: asOf)
        }
        return context
    }

    func render(_ template: String, _ context: [String: Any], path: String) throws -> Data {
        guard let text = library.render(context, withTemplate: template) else {
            throw PortalError(.template, "the template \(template).mustache is missing", path: path)
        }
        return Data(text.utf8)
    }

    /// `v/<f>/<token>/index.html` (`<lang>/v/<f>/<token>/index.html`) with
    /// the values `tokenValues` made, straight through Mustache.
    func tokenPage(_ document: SiteDocument, values: TokenPageValues) throws -> Data {
        try render("token", tokenContext(values), path: prefix + document.address.pageFile)
    }

    /// The document's values on its page (templates/README.md, "Token page
    /// context"): the part every language shares (`commonTokenValues`, made
    /// once per document) with this language's dates, links and signer list.
    /// Text that came from people passes through `HTMLText.guarded` first.
    func tokenValues(_ document: SiteDocument, certificate: CertificateFacts, common: TokenPageValues) -> TokenPageValues {
        let address = document.address
        let root = depth + address.pageRoot
        var values = common
        values.asOf = dates.dateTime(document.asOf)
        values[.signedAt] = .text(dates.dateTime(document.signedAt))
        values[.approvedAt] = document.request.approvedAt.map { .text(dates.dateTime($0)) }
        values[.statusDate] = document.statusDate.map { .text(dates.dateTime($0)) }
        values[.notBefore] = .text(dates.dateTime(certificate.notBefore))
        values[.notAfter] = .text(dates.dateTime(certificate.notAfter))
        values[.jsonHref] = .text(root + address.record)
        values[.certCRTHref] = .text(root + address.certificate)
        if !privatePDFs { values[.pdfHref] = .text(root + address.pdf) }
        let keys = document.published.keys
        if keys.count > 1 {
            values.signers = zip(keys, document.published.signers).map { key, approver in
                let state = key.signerState
                var item = [
                    "position": String(key.signerPosition), "name": HTMLText.guarded(approver.name),
                    "signed_at": dates.dateTime(key.signedAt ?? document.signedAt), "signature_id": key.signatureID,
                    "serial": key.serialHex.lowercased(), "state": state,
                    "state_label": strings["signer_state_" + state] ?? "",
                ]
                if let title = approver.title?.nonEmpty { item["title"] = HTMLText.guarded(title) }
                if let code = LookupCode(signatureID: key.signatureID) { item["lookup_code"] = code.grouped }
                return item
            }
        }
        return values
    }

    /// The values of a token page that do not depend on its language: the
    /// same for both, so a site's two pages per document compute them (the QR
    /// code's drawing above all) once.
    static func commonTokenValues(_ document: SiteDocument, certificate: CertificateFacts,
                                  log: PublishedRecord.LogInclusion?, privatePDFs: Bool) throws -> TokenPageValues {
        let address = document.address
        let token = document.token
        var values = TokenPageValues(asOf: "", asOfISO: ISOTime.string(from: document.asOf), pageRoot: address.pageRoot)
        func text(_ value: String?) -> TokenPageValues.Value? { value.map { .text($0) } }
        values[.token] = .text(token)
        values[.page] = .text(address.page)
        values[.logIndex] = log.map { .text(String($0.index)) }
        values[.logSize] = log.map { .text(String($0.treeSize)) }
        values[.status] = .text(document.status.rawValue)
        values[.isValid] = .flag(document.status == .valid)
        values[.isInvalidated] = .flag(document.status == .invalidated)
        values[.isRevoked] = .flag(document.status == .revoked)
        values[.name] = .text(HTMLText.guarded(document.request.documentName))
        values[.signerName] = .text(HTMLText.guarded(document.published.signer.name))
        values[.sha256] = .text(document.sha256)
        values[.signatureID] = .text(document.key.signatureID)
        values[.lookupCode] = LookupCode(signatureID: document.key.signatureID).map { .text($0.grouped) }
        values[.verificationURL] = .text(document.verificationURL)
        values[.pdfAvailable] = .flag(!privatePDFs)
        // The stamp's own symbol when the registry kept it for this very URL.
        let signature = document.published.signature
        values[.qrSVG] = .text(try inlineQR(
            document.verificationURL,
            archived: signature.verificationURL == document.verificationURL ? signature.qrModules : nil))
        values[.requesterName] = text(document.published.user.name.nonEmpty.map(HTMLText.guarded))
        values[.requesterNIM] = text(document.published.user.nim?.nonEmpty.map(HTMLText.guarded))
        values[.type] = text(document.request.documentType?.nonEmpty.map(HTMLText.guarded))
        values[.signerTitle] = text(document.published.signer.title?.nonEmpty.map(HTMLText.guarded))
        values[.statusReason] = text(document.statusReason?.nonEmpty.map(HTMLText.guarded))

        values[.serial] = .text(certificate.serialHex)
        values[.subject] = .text(HTMLText.guarded(ReadableName.of(certificate.subject)))
        values[.issuer] = .text(HTMLText.guarded(ReadableName.of(certificate.issuer)))
        values[.fingerprintSHA256] = .text(certificate.sha256FingerprintHex)
        values[.keyAlgorithm] = .text(certificate.keyAlgorithm)
        return values
    }

    /// The Mustache context of a token page with these values.
    func tokenContext(_ values: TokenPageValues) -> [String: Any] {
        func object(_ names: [String], _ fields: [TokenPageValues.Value?]) -> [String: Any] {
            var object: [String: Any] = [:]
            for (name, value) in zip(names, fields) {
                switch value {
                case .text(let text)?: object[name] = text
                case .flag(let flag)?: object[name] = flag
                case nil: continue
                }
            }
            return object
        }
        var context = common(root: values.pageRoot, asOf: nil)
        context["as_of"] = values.asOf
        context["as_of_iso"] = values.asOfISO
        context["doc"] = object(TokenPageValues.docNames, values.doc)
        context["cert"] = object(TokenPageValues.certNames, values.cert)
        if let signers = values.signers {
            context["has_signers"] = true
            context["signers"] = signers
        }
        return context
    }

    /// `index.html`, `verify/index.html` and `404.html` (`pagePath` "", "verify/", "").
    func page(_ template: String, root: String, asOf: Date, path: String, pagePath: String = "",
              extra: [String: Any] = [:]) throws -> Data {
        var context = common(root: root, asOf: asOf, pagePath: pagePath)
        for (key, value) in extra { context[key] = value }
        return try render(template, context, path: path)
    }

    /// `stats/index.html`.
    func statisticsPage(_ statistics: PublicStatistics, asOf: Date) throws -> Data {
        func rows(_ items: [(label: String, count: Int)]) -> [[String: Any]] {
            let largest = max(items.map(\.count).max() ?? 0, 1)
            return items.map { ["label": $0.label, "count": $0.count, "percent": $0.count * 100 / largest] }
        }
        var context = common(root: "../", asOf: asOf, pagePath: "stats/")
        context["stats"] = [
            "has_documents": statistics.documents > 0,
            "documents": statistics.documents,
            "valid": statistics.byStatus.valid,
            "invalidated": statistics.byStatus.invalidated,
            "revoked": statistics.byStatus.revoked,
            "by_type": rows(statistics.byType.map { (HTMLText.guarded($0.type ?? "—"), $0.count) }),
            "by_month": rows(statistics.byMonth.map { (dates.month(key: $0.month), $0.count) }),
            "keys": ["active": statistics.keys.active, "expired": statistics.keys.expired,
                     "revoked": statistics.keys.revoked,
                     "revoked_with_document": statistics.keys.revokedWithDocument] as [String: Any],
        ] as [String: Any]
        return try render("stats", context, path: "\(prefix)stats/index.html")
    }

    /// The QR code of `url` as one inline `<svg>` element: the same drawing as
    /// `QRSymbol.svg()` (its path, `QRSymbol.appendSVGPath`, with the same
    /// quiet zone; presentation attributes only) without the XML declaration,
    /// which has no place inside HTML. `archived` is the symbol the stamp drew
    /// (`QRSymbol.archived`); without it, or when it does not read, `url` is
    /// encoded here (libqrencode's mask selection is most of a page's time).
    static func inlineQR(_ url: String, archived: Data? = nil) throws -> String {
        let symbol = try archived.flatMap { QRSymbol(archived: $0, text: url) } ?? QRSymbol(url)
        let quiet = 4, side = symbol.size + 2 * quiet
        var out = Array("""
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" width="\(side * 4)" \
            height="\(side * 4)" shape-rendering="crispEdges" role="img"><rect width="\(side)" height="\(side)" \
            fill="#ffffff"/><path fill="#000000" d="
            """.utf8)
        out.reserveCapacity(symbol.size * symbol.size * 5 + 300)
        symbol.appendSVGPath(quietZone: quiet, to: &out)
        out.append(contentsOf: "\"/></svg>".utf8)
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    /// nil for an empty or blank string, so the templates hide the row.
    var nonEmpty: String? {
        // Any ASCII byte other than a space or control character settles it without Foundation.
        if utf8.contains(where: { $0 > 0x20 && $0 < 0x7F }) { return self }
        return trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : self
    }
}
