import Foundation
import IssuanceLog
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
            guard case .crls(let bundled) = context.revocation, bundled.first?.der == crl.der else {
                throw VerifierError(.trustMismatch, "\(crlFile.path) is not the CRL that \(trustFile.path) carries",
                                    path: crlFile.path)
            }
        }
        context.mode = .site
        context.records = SiteRecordSource(directory: directory)
        return context
    }

    /// `--bundle trust.json`: every CA with its CRL, and the site URL; no records.
    public static func bundle(trustFile: URL) throws -> TrustContext {
        let data = try readFile(trustFile, limit: 16 << 20)
        let store = try TrustStore.decode(data, path: trustFile.path)
        let path = trustFile.path
        func pair(_ caPEM: String, _ crlPEM: String, _ what: String) throws -> (Certificate, CRL) {
            guard let ca = try? Certificate(pem: caPEM) else {
                throw VerifierError(.trustInput, "\(path): \(what)ca_pem is not a PEM certificate", path: path)
            }
            guard let crl = try? CRL(pem: crlPEM) else {
                throw VerifierError(.trustInput, "\(path): \(what)crl_pem is not a PEM CRL", path: path)
            }
            try requireSigned(crl, by: ca, path: path)
            return (ca, crl)
        }
        let (ca, crl) = try pair(store.caPEM, store.crlPEM, "")
        var successors: [Certificate] = []
        var crls = [crl]
        if let authorities = store.authorities, !authorities.isEmpty {
            let pairs = try authorities.enumerated().map { index, item in
                try pair(item.caPEM, item.crlPEM, "authorities[\(index)].")
            }
            guard pairs[0].0 == ca else {
                throw VerifierError(.trustMismatch, "\(path): the first of authorities is not the CA that ca_pem names",
                                    path: path)
            }
            successors = pairs.dropFirst().map(\.0)
            crls = pairs.map(\.1)
        }
        guard let url = URL(string: store.siteURL), let scheme = url.scheme?.lowercased(),
              scheme == "https" || scheme == "http", url.host != nil else {
            throw VerifierError(.trustInput, "\(trustFile.path): site_url \"\(store.siteURL)\" is not an http(s) URL",
                                path: trustFile.path)
        }
        var context = TrustContext(mode: .bundle, ca: ca, authorityName: store.authority, siteURL: store.siteURL,
                                   publishedAt: store.publishedDate, revocation: .crls(crls))
        context.successorCAs = successors
        if let vkey = store.logVKey {
            guard let verifier = VerifierKey(vkey) else {
                throw VerifierError(.trustInput, "\(path): log_vkey is not an Ed25519 note verifier key", path: path)
            }
            context.logVerifier = verifier
        }
        for (index, pem) in (store.timestampPEMs ?? []).enumerated() {
            guard let certificate = try? Certificate(pem: pem), certificate.isCA else {
                throw VerifierError(.trustInput, "\(path): timestamp_pems[\(index)] is not a CA certificate",
                                    path: path)
            }
            context.timestampRoots.append(certificate)
        }
        return context
    }

    /// `--ca ca.pem [--crl crl.pem]`: the file may hold several CA certificates
    /// (the site's `cas.pem`), and one CRL may be given per CA.
    public static func certificate(caFile: URL, crlFiles: [URL] = []) throws -> TrustContext {
        let cas = try readCertificates(caFile)
        var crls: [CRL] = []
        for file in crlFiles {
            let crl = try readCRL(file)
            guard cas.contains(where: crl.isSigned(by:)) else {
                throw VerifierError(.trustMismatch, "the CRL in \(file.path) is not signed by the CA in \(caFile.path)",
                                    path: file.path)
            }
            crls.append(crl)
        }
        var context = TrustContext(mode: .certificate, ca: cas[0], revocation: crls.isEmpty ? .none : .crls(crls))
        context.successorCAs = Array(cas.dropFirst())
        return context
    }

    /// `--ca ca.pem [--crl crl.pem]` with one CRL at most.
    public static func certificate(caFile: URL, crlFile: URL?) throws -> TrustContext {
        try certificate(caFile: caFile, crlFiles: crlFile.map { [$0] } ?? [])
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

    /// Every certificate of a PEM file (or the one of a DER file), in order.
    private static func readCertificates(_ url: URL) throws -> [Certificate] {
        let data = try readFile(url, limit: 1 << 20)
        if let pem = String(data: data, encoding: .utf8), pem.contains("-----BEGIN") {
            let all = Certificate.allFromPEM(pem)
            if !all.isEmpty { return all }
        }
        return [try readCertificate(url)]
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
