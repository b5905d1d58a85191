import Foundation
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

    /// The common context of every page; `root` is the way from the page to the site root.
    private func common(root: String, asOf: Date) -> [String: Any] {
        [
            "root": root,
            "lang": locale.rawValue,
            "t": strings,
            "site": ["name": HTMLText.guarded(siteName), "base_url": HTMLText.guarded(baseURL)] as [String: Any],
            "as_of": dates.dateTime(asOf),
            "as_of_iso": ISODate.string(asOf),
        ]
    }

    func render(_ template: String, _ context: [String: Any], path: String) throws -> Data {
        guard let text = library.render(context, withTemplate: template) else {
            throw PortalError(.template, "the template \(template).mustache is missing", path: path)
        }
        return Data(text.utf8)
    }

    /// `v/<token>/index.html`, straight through Mustache.
    func tokenPage(_ document: SiteDocument, certificate: Certificate) throws -> Data {
        try render("token", tokenContext(document, certificate: certificate), path: "v/\(document.token)/index.html")
    }

    /// The context of a token page (templates/README.md, "Token page context").
    /// Text that came from people passes through `HTMLText.guarded` first.
    func tokenContext(_ document: SiteDocument, certificate: Certificate) throws -> [String: Any] {
        let root = "../../"
        let token = document.token
        var doc: [String: Any] = [
            "token": token,
            "status": document.status.rawValue,
            "is_valid": document.status == .valid,
            "is_invalidated": document.status == .invalidated,
            "is_revoked": document.status == .revoked,
            "name": HTMLText.guarded(document.request.documentName),
            "signer_name": HTMLText.guarded(document.published.signer.name),
            "signed_at": dates.dateTime(document.signedAt),
            "sha256": document.sha256,
            "signature_id": document.key.signatureID,
            "verification_url": document.verificationURL,
            "pdf_available": !privatePDFs,
            "json_href": "\(root)api/verify/\(token).json",
            "cert_pem_href": "\(root)cert/\(token).pem",
            "cert_crt_href": "\(root)cert/\(token).crt",
            "qr_svg": try Self.inlineQR(document.verificationURL),
        ]
        if !privatePDFs { doc["pdf_href"] = "\(root)d/\(token).pdf" }
        doc["requester_name"] = document.published.user.name.nonEmpty.map(HTMLText.guarded)
        doc["requester_nim"] = document.published.user.nim?.nonEmpty.map(HTMLText.guarded)
        doc["type"] = document.request.documentType?.nonEmpty.map(HTMLText.guarded)
        doc["signer_title"] = document.published.signer.title?.nonEmpty.map(HTMLText.guarded)
        doc["approved_at"] = document.request.approvedAt.map(dates.dateTime)
        doc["status_reason"] = document.statusReason?.nonEmpty.map(HTMLText.guarded)
        doc["status_date"] = document.statusDate.map(dates.dateTime)

        var context = common(root: root, asOf: document.asOf)
        context["doc"] = doc
        context["cert"] = [
            "serial": certificate.serialHex,
            "subject": HTMLText.guarded(certificate.subject.string),
            "issuer": HTMLText.guarded(certificate.issuer.string),
            "not_before": dates.dateTime(certificate.notBefore),
            "not_after": dates.dateTime(certificate.notAfter),
            "fingerprint_sha256": certificate.sha256FingerprintHex,
            "key_algorithm": certificate.publicKeyAlgorithm,
        ] as [String: Any]
        return context
    }

    /// `index.html`, `verify/index.html` and `404.html`.
    func page(_ template: String, root: String, asOf: Date, path: String) throws -> Data {
        try render(template, common(root: root, asOf: asOf), path: path)
    }

    /// `stats/index.html`.
    func statisticsPage(_ statistics: PublicStatistics, asOf: Date) throws -> Data {
        func rows(_ items: [(label: String, count: Int)]) -> [[String: Any]] {
            let largest = max(items.map(\.count).max() ?? 0, 1)
            return items.map { ["label": $0.label, "count": $0.count, "percent": $0.count * 100 / largest] }
        }
        var context = common(root: "../", asOf: asOf)
        context["stats"] = [
            "has_documents": statistics.documents > 0,
            "documents": statistics.documents,
            "valid": statistics.byStatus.valid,
            "invalidated": statistics.byStatus.invalidated,
            "revoked": statistics.byStatus.revoked,
            "by_type": rows(statistics.byType.map { (HTMLText.guarded($0.type ?? "—"), $0.count) }),
            "by_month": rows(statistics.byMonth.map { (dates.month(key: $0.month), $0.count) }),
            "keys": ["active": statistics.keys.active, "expired": statistics.keys.expired,
                     "revoked": statistics.keys.revoked] as [String: Any],
        ] as [String: Any]
        return try render("stats", context, path: "stats/index.html")
    }

    /// The QR code of `url` as one inline `<svg>` element: the same drawing as
    /// `QRSymbol.svg()` (one path of horizontal runs in module units, quiet
    /// zone included, presentation attributes only) without the XML
    /// declaration, which has no place inside HTML. Built on bytes because a
    /// site renders thousands of them.
    static func inlineQR(_ url: String) throws -> String {
        let symbol = try QRSymbol(url)
        let quiet = 4, side = symbol.size + 2 * quiet
        var out: [UInt8] = []
        out.reserveCapacity(symbol.size * symbol.size * 4 + 300)
        func append(_ text: String) { out.append(contentsOf: text.utf8) }
        func append(_ number: Int) {
            if number >= 10 { append(number / 10) }
            out.append(UInt8(48 + number % 10))
        }
        append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        append(side); append(" "); append(side)
        append("\" width=\""); append(side * 4); append("\" height=\""); append(side * 4)
        append("\" shape-rendering=\"crispEdges\" role=\"img\"><rect width=\"")
        append(side); append("\" height=\""); append(side)
        append("\" fill=\"#ffffff\"/><path fill=\"#000000\" d=\"")
        for y in 0..<symbol.size {
            for run in symbol.darkRuns(row: y) {
                append("M"); append(run.x + quiet); append(" "); append(y + quiet)
                append("h"); append(run.length); append("v1h-"); append(run.length); append("z")
            }
        }
        append("\"/></svg>")
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    /// nil for an empty or blank string, so the templates hide the row.
    var nonEmpty: String? {
        trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : self
    }
}
