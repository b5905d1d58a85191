import Foundation
import PKI
import Registry

/// An opened authority home: the registry and the settings. Unlocking the CA
/// (which needs the passphrase) is a separate step, so that commands that only
/// read or record never ask for it.
public final class Authority: Sendable {
    public let home: AuthorityHome
    public let registry: Registry
    public let settings: AuthoritySettings

    /// Opens an existing home; refuses a folder `segel init` has not prepared.
    public init(home: AuthorityHome, onWait: (@Sendable (String) -> Void)? = nil) throws {
        guard home.exists else {
            throw AuthorityError(.usage, "no authority at \(home.url.path); run `segel init` first or pass --home")
        }
        self.home = home
        self.registry = try Registry(home: home.url, onWait: onWait)
        guard let info = try registry.authority() else {
            throw AuthorityError(.usage, "the registry at \(home.registry.path) has no authority; run `segel init`")
        }
        self.settings = AuthoritySettings(info)
        try fillCertificateSummaries()
    }

    /// Schema `v4`'s fill, done here because it needs PKI: each key made
    /// before 0.4 gets the summary of its certificate, read by libcrypto once.
    /// A certificate that does not parse is left without one (the portal then
    /// refuses it by name, as before).
    private func fillCertificateSummaries() throws {
        let missing = try registry.keysWithoutCertificateSummary()
        guard !missing.isEmpty else { return }
        var summaries: [Int64: CertificateSummary] = [:]
        for (id, pem) in missing {
            guard let certificate = try? Certificate(pem: pem) else { continue }
            summaries[id] = Self.summary(of: certificate)
        }
        try registry.storeCertificateSummaries(summaries)
    }

    /// What the registry keeps of a per-document certificate.
    static func summary(of certificate: Certificate) -> CertificateSummary {
        CertificateSummary(subject: certificate.subject.string, issuer: certificate.issuer.string,
                           keyAlgorithm: certificate.publicKeyAlgorithm,
                           fingerprintSHA256: certificate.sha256FingerprintHex)
    }

    /// `segel init`: creates the home, the root CA (10 years, key encrypted
    /// under the passphrase, mode 0600) and the registry.
    ///
    /// The CA key is ECDSA P-256 unless `caKeyType` says RSA-3072: the same
    /// 128-bit security level, and the CA signs every per-document certificate,
    /// where P-256 takes ~0.03 ms and RSA-3072 ~1.8 ms (OpenSSL 3.0 here).
    @discardableResult
    public static func initialize(home: AuthorityHome, settings: AuthoritySettings,
                                  passphrase: String, caKeyType: KeyType = .p256,
                                  now: Date = Date()) throws -> Authority {
        guard caKeyType == .p256 || caKeyType == .rsa3072 else {
            throw AuthorityError(.usage, "the CA key must be p256 or rsa3072, not \(caKeyType.rawValue)")
        }
        try AuthoritySettings.validate(baseURL: settings.baseURL)
        guard passphrase.count >= 8 else {
            throw AuthorityError(.usage, "the passphrase must have at least 8 characters")
        }
        if home.exists {
            throw AuthorityError(.refused, "an authority already exists at \(home.url.path)")
        }
        try home.create()
        let (key, certificate) = try CertificateAuthority.create(
            subject: DistinguishedNameFields(commonName: "\(settings.name) Document Signing CA",
                                             organization: settings.name),
            keyType: caKeyType, now: now)
        try AtomicFile.write(key.encryptedPKCS8PEM(passphrase: passphrase), to: home.caKey, permissions: 0o600)
        try AtomicFile.write(Data(certificate.pem.utf8), to: home.caCertificate, permissions: 0o644)
        let registry = try Registry(home: home.url, create: true)
        try registry.initialize(authority: settings.setup)
        return try Authority(home: home)
    }

    /// The CA certificate (public; no passphrase needed).
    public func caCertificate() throws -> Certificate {
        do {
            return try Certificate(pem: String(contentsOf: home.caCertificate, encoding: .utf8))
        } catch {
            throw AuthorityError(.io, "cannot read the CA certificate \(home.caCertificate.path)")
        }
    }

    /// Loads the CA key with the passphrase.
    public func unlock(passphrase: String) throws -> CertificateAuthority {
        let pem: Data
        do {
            pem = try Data(contentsOf: home.caKey)
        } catch {
            throw AuthorityError(.io, "cannot read the CA key \(home.caKey.path)")
        }
        do {
            let key = try PrivateKey(encryptedPKCS8PEM: pem, passphrase: passphrase)
            return try CertificateAuthority(key: key, certificate: try caCertificate())
        } catch let error as PKIError where error.code == .wrongPassphrase {
            throw AuthorityError(.refused, "the passphrase does not open the CA key \(home.caKey.path)")
        }
    }
}
