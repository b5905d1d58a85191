import Foundation
import PKI

/// Building a ``TrustContext`` from the files `segel-verify` is given. Every
/// inconsistency is an error (exit 3): a verifier that guessed which of two
/// disagreeing trust files to believe would no longer fail closed.
extension TrustContext {
    /// `--site DIR`: `trust.json`, `ca.pem`, `crl.pem` and `api/verify/<token>.json`.
    /// `ca.pem` and `crl.pem` may be absent; when present they must be exactly
    /// trust.json's CA and CRL.
    public static func site(directory: URL) throws -> TrustContext {
        let trustFile = directory.appendingPathComponent("trust.json")
        var context = try bundle(trustFile: trustFile)
        let caFile = directory.appendingPathComponent("ca.pem")
        if FileManager.default.fileExists(atPath: caFile.path) {
            let ca = try readCertificate(caFile)
            guard ca.der == context.ca.der else {
                throw VerifierError(.trustMismatch,
                                    "\(caFile.path) is not the CA certificate that \(trustFile.path) names",
                                    path: caFile.path)
            }
        }
        let crlFile = directory.appendingPathComponent("crl.pem")
        if FileManager.default.fileExists(atPath: crlFile.path) {
            let crl = try readCRL(crlFile)
            guard case .crl(let bundled) = context.revocation, bundled.der == crl.der else {
                throw VerifierError(.trustMismatch, "\(crlFile.path) is not the CRL that \(trustFile.path) carries",
                                    path: crlFile.path)
            }
        }
        context.mode = .site
        context.records = SiteRecordSource(directory: directory)
        return context
    }

    /// `--bundle trust.json`: CA, CRL and site URL; no records.
    public static func bundle(trustFile: URL) throws -> TrustContext {
        let data = try readFile(trustFile, limit: 16 << 20)
        let store = try TrustStore.decode(data, path: trustFile.path)
        let ca: Certificate
        do {
            ca = try Certificate(pem: store.caPEM)
        } catch {
            throw VerifierError(.trustInput, "\(trustFile.path): ca_pem is not a PEM certificate", path: trustFile.path)
        }
        let crl: CRL
        do {
            crl = try CRL(pem: store.crlPEM)
        } catch {
            throw VerifierError(.trustInput, "\(trustFile.path): crl_pem is not a PEM CRL", path: trustFile.path)
        }
        try requireSigned(crl, by: ca, path: trustFile.path)
        guard let url = URL(string: store.siteURL), let scheme = url.scheme?.lowercased(),
              scheme == "https" || scheme == "http", url.host != nil else {
            throw VerifierError(.trustInput, "\(trustFile.path): site_url \"\(store.siteURL)\" is not an http(s) URL",
                                path: trustFile.path)
        }
        return TrustContext(mode: .bundle, ca: ca, authorityName: store.authority, siteURL: store.siteURL,
                            publishedAt: store.publishedDate, revocation: .crl(crl))
    }

    /// `--ca ca.pem [--crl crl.pem]`.
    public static func certificate(caFile: URL, crlFile: URL?) throws -> TrustContext {
        let ca = try readCertificate(caFile)
        var revocation = RevocationSource.none
        if let crlFile {
            let crl = try readCRL(crlFile)
            try requireSigned(crl, by: ca, path: crlFile.path)
            revocation = .crl(crl)
        }
        return TrustContext(mode: .certificate, ca: ca, revocation: revocation)
    }

    private static func requireSigned(_ crl: CRL, by ca: Certificate, path: String) throws {
        guard crl.isSigned(by: ca) else {
            throw VerifierError(.trustMismatch,
                                "the CRL in \(path) is not signed by the CA \(ca.subject.string)", path: path)
        }
    }

    private static func readFile(_ url: URL, limit: Int) throws -> Data {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw VerifierError(.io, "cannot read \(url.path)", path: url.path)
        }
        guard data.count <= limit else {
            throw VerifierError(.trustInput, "\(url.path) is too large to be trust data", path: url.path)
        }
        return data
    }

    /// A PEM or DER certificate.
    private static func readCertificate(_ url: URL) throws -> Certificate {
        let data = try readFile(url, limit: 1 << 20)
        if let pem = String(data: data, encoding: .utf8), pem.contains("-----BEGIN"),
           let certificate = try? Certificate(pem: pem) {
            return certificate
        }
        if let certificate = try? Certificate(der: data) { return certificate }
        throw VerifierError(.trustInput, "\(url.path) is not a PEM or DER certificate", path: url.path)
    }

    /// A PEM or DER CRL.
    private static func readCRL(_ url: URL) throws -> CRL {
        let data = try readFile(url, limit: 64 << 20)
        if let pem = String(data: data, encoding: .utf8), pem.contains("-----BEGIN"), let crl = try? CRL(pem: pem) {
            return crl
        }
        if let crl = try? CRL(der: data) { return crl }
        throw VerifierError(.trustInput, "\(url.path) is not a PEM or DER CRL", path: url.path)
    }
}
