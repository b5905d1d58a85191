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
    /// under the passphrase, mode 0600), its time-stamping authority (a key
    /// encrypted the same way and a certificate from the CA) and the registry.
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
        if let url = settings.tsaURL { try AuthoritySettings.validate(tsaURL: url) }
        guard passphrase.count >= 8 else {
            throw AuthorityError(.usage, "the passphrase must have at least 8 characters")
        }
        if home.exists {
            throw AuthorityError(.refused, "an authority already exists at \(home.url.path)")
        }
        try home.create()
        var settings = settings
        settings.caGeneration = 1
        try createCA(generation: 1, home: home, settings: settings, keyType: caKeyType, passphrase: passphrase, now: now)
        let registry = try Registry(home: home.url, create: true)
        try registry.initialize(authority: settings.setup)
        return try Authority(home: home)
    }

    /// The files of the CA that signs new documents.
    public var currentCA: AuthorityHome.CAPaths { home.ca(generation: settings.caGeneration) }

    /// The current CA certificate (public; no passphrase needed).
    public func caCertificate() throws -> Certificate {
        try caCertificate(generation: settings.caGeneration)
    }

    /// The certificate of one CA generation.
    public func caCertificate(generation: Int) throws -> Certificate {
        let file = home.ca(generation: generation).certificate
        do {
            return try Certificate(pem: String(contentsOf: file, encoding: .utf8))
        } catch {
            throw AuthorityError(.io, "cannot read the CA certificate \(file.path)")
        }
    }

    /// Every CA the authority has used, oldest first: all of them stay
    /// trusted, so documents signed under any keep verifying.
    public func caCertificates() throws -> [(generation: Int, certificate: Certificate)] {
        try (1...settings.caGeneration).map { ($0, try caCertificate(generation: $0)) }
    }

    /// Loads the current CA key with the passphrase.
    public func unlock(passphrase: String) throws -> CertificateAuthority {
        try unlock(generation: settings.caGeneration, passphrase: passphrase)
    }

    /// Loads one generation's CA key (earlier CAs still sign their own CRLs).
    public func unlock(generation: Int, passphrase: String) throws -> CertificateAuthority {
        let file = home.ca(generation: generation).key
        let pem: Data
        do {
            pem = try Data(contentsOf: file)
        } catch {
            throw AuthorityError(.io, "cannot read the CA key \(file.path)")
        }
        do {
            let key = try PrivateKey(encryptedPKCS8PEM: pem, passphrase: passphrase)
            return try CertificateAuthority(key: key, certificate: try caCertificate(generation: generation))
        } catch let error as PKIError where error.code == .wrongPassphrase {
            throw AuthorityError(.refused, "the passphrase does not open the CA key \(file.path)")
        }
    }

    /// `segel ca renew`: a successor CA — a new root of the same key type,
    /// valid 10 years, named "… Document Signing CA <g>" — with its own TSA,
    /// written to `ca/<g>/` before the registry makes it current (in one
    /// transaction with its audit row). New documents chain to it; every
    /// earlier CA stays trusted and keeps signing its own CRL at each publish.
    @discardableResult
    public func renewCA(passphrase: String, now: Date = Date()) throws -> (generation: Int, certificate: Certificate) {
        let current = try unlock(passphrase: passphrase)
        let generation = settings.caGeneration + 1
        var next = settings
        next.caGeneration = generation
        guard let keyType = current.certificate.publicKeyType, keyType == .p256 || keyType == .rsa3072 else {
            throw AuthorityError(.refused, "the current CA's key (\(current.certificate.publicKeyAlgorithm)) is not one segel makes")
        }
        try Self.createCA(generation: generation, home: home, settings: next, keyType: keyType,
                          passphrase: passphrase, now: now)
        let certificate = try caCertificate(generation: generation)
        try registry.recordCARenewal(generation: generation, subject: certificate.subject.string,
                                     fingerprintSHA256: certificate.sha256FingerprintHex)
        return (generation, certificate)
    }

    /// One CA generation's files: key and self-signed certificate, then its TSA.
    private static func createCA(generation: Int, home: AuthorityHome, settings: AuthoritySettings, keyType: KeyType,
                                 passphrase: String, now: Date) throws {
        let paths = home.ca(generation: generation)
        do {
            try FileManager.default.createDirectory(at: paths.directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw AuthorityError(.io, "cannot create the folder \(paths.directory.path)")
        }
        let suffix = generation == 1 ? "" : " \(generation)"
        let (key, certificate) = try CertificateAuthority.create(
            subject: DistinguishedNameFields(commonName: "\(settings.name) Document Signing CA\(suffix)",
                                             organization: settings.name),
            keyType: keyType, now: now)
        try AtomicFile.write(key.encryptedPKCS8PEM(passphrase: passphrase), to: paths.key, permissions: 0o600)
        try AtomicFile.write(Data(certificate.pem.utf8), to: paths.certificate, permissions: 0o644)
        try createTimestampAuthority(paths: paths, settings: settings,
                                     ca: CertificateAuthority(key: key, certificate: certificate),
                                     passphrase: passphrase, now: now)
    }
}
