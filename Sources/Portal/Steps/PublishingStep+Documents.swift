import Foundation
import PKI

extension PublishingStep {
    /// Per document: `v/<token>/index.html`, `api/verify/<token>.json`,
    /// `cert/<token>.pem|.crt` and (unless PDFs are private) `d/<token>.pdf`.
    /// A document whose fingerprint matches the previous manifest, and whose
    /// files are all still there, keeps its files without being rendered.
    static let renderDocuments = PublishingStep("Render document pages") { context in
        let site = DocumentFingerprint.site(templates: context.templates, options: context.options,
                                            siteName: context.siteName, baseURL: context.baseURL)
        let previous = context.previous
        let checkFiles = context.options.checkExistingFiles
        var toRender: [Int] = []
        for (index, document) in context.documents.enumerated() {
            let fingerprint = DocumentFingerprint.document(document, site: site)
            context.documentFingerprints[document.token] = fingerprint
            let paths = documentPaths(document.token, privatePDFs: context.options.privatePDFs)
            if let previous, previous.documents[document.token] == fingerprint,
               paths.allSatisfy({ previous.files[$0] != nil }),
               !checkFiles || paths.allSatisfy({ context.existing.exists($0) }) {
                for path in paths {
                    context.plan(path, PlannedFile(source: .previous, sha256: previous.files[path]!))
                }
            } else {
                toRender.append(index)
                context.changedTokens.insert(document.token)
            }
        }

        let renderer = context.renderer!
        let skeletons = context.templates.defaultPages ? TokenPageSkeletons(renderer: renderer) : nil
        let documents = context.documents
        let privatePDFs = context.options.privatePDFs
        let signedPDF = context.source.signedPDF
        let total = toRender.count
        let progress = ProgressTicker(context: context, total: total)
        let indices = toRender
        let rendered = try Parallel.map(indices.count) { slot -> [(String, PlannedFile)] in
            let document = documents[indices[slot]]
            let files = try renderFiles(document, renderer: renderer, skeletons: skeletons, privatePDFs: privatePDFs,
                                        signedPDF: signedPDF)
            progress.tick()
            return files
        }
        for files in rendered {
            for (path, file) in files { context.plan(path, file) }
        }
        context.renderedDocuments = total
        context.report(total, of: total)
    }

    static func documentPaths(_ token: String, privatePDFs: Bool) -> [String] {
        var paths = ["v/\(token)/index.html", "api/verify/\(token).json", "cert/\(token).pem", "cert/\(token).crt"]
        if !privatePDFs { paths.append("d/\(token).pdf") }
        return paths
    }

    private static func renderFiles(_ document: SiteDocument, renderer: PageRenderer, skeletons: TokenPageSkeletons?,
                                    privatePDFs: Bool,
                                    signedPDF: @Sendable (String) -> URL) throws -> [(String, PlannedFile)] {
        let token = document.token
        let certificate: Certificate
        do {
            certificate = try Certificate(pem: document.key.certificate)
        } catch {
            throw PortalError(.integrity, "the certificate of \(document.key.signatureID) (token \(token)) does not parse",
                              path: "cert/\(token).pem")
        }
        guard certificate.serialHex == document.key.serialHex.lowercased() else {
            throw PortalError(.integrity,
                "the certificate of \(document.key.signatureID) has serial \(certificate.serialHex), the registry says \(document.key.serialHex)",
                path: "cert/\(token).pem")
        }
        var files: [(String, PlannedFile)] = [
            ("v/\(token)/index.html", .data(try skeletons?.page(document, certificate: certificate)
                ?? renderer.tokenPage(document, certificate: certificate))),
            ("api/verify/\(token).json", .data(try PortalJSON.encode(VerificationRecord(document, certificate: certificate)))),
            ("cert/\(token).pem", .data(Data(certificate.pem.utf8))),
            ("cert/\(token).crt", .data(certificate.der)),
        ]
        if !privatePDFs {
            files.append(("d/\(token).pdf", PlannedFile(source: .copy(signedPDF(token)), sha256: document.sha256)))
        }
        return files
    }
}
