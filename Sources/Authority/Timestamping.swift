import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PKI
import Registry
import Verifier

/// The PAdES baseline level of a new signature (ETSI EN 319 142-1 §6):
/// B-B the signature alone; B-T with a signature timestamp; B-LT also with
/// the validation data in a DSS; B-LTA also closed by a document timestamp.
public enum PAdESLevel: String, Sendable, Hashable, CaseIterable {
    case b = "b-b"
    case t = "b-t"
    case lt = "b-lt"
    case lta = "b-lta"
}

/// Who timestamps the signatures (PAdES B-T): the authority's own TSA, or an
/// external RFC 3161 server named with `--tsa`.
public enum TimestampSource: Sendable {
    case local(LocalTimestampAuthority)
    case external(HTTPTimestampAuthority)

    /// The TSA to ask for a signature made at `now` (the local one reads that clock).
    func authority(at now: Date) -> any TimestampAuthority {
        switch self {
        case .local(let tsa): tsa.reading { now }
        case .external(let tsa): tsa
        }
    }

    /// The TSA certificate the DSS carries for the local TSA (an external
    /// server's certificates travel in each of its tokens).
    var localCertificates: [Certificate] {
        switch self {
        case .local(let tsa): [tsa.certificate]
        case .external: []
        }
    }

    public var isExternal: Bool { if case .external = self { true } else { false } }
}

/// What the DSS after each signature holds (PAdES B-LT): the authority's CA
/// certificate(s) and a CRL signed at that moment.
public struct ValidationData: Sendable {
    public var certificates: [Certificate]
    public var revocationList: @Sendable (Date) throws -> CRL

    public init(certificates: [Certificate], revocationList: @escaping @Sendable (Date) throws -> CRL) {
        self.certificates = certificates
        self.revocationList = revocationList
    }
}

/// An RFC 3161 server over HTTP(S) (RFC 3161 §3.4): POSTs the DER request as
/// `application/timestamp-query`, with a timeout per attempt and a few
/// attempts with backoff. The response is checked (granted, imprint, nonce)
/// by `TimestampAuthority.token`, and — when the authority has pinned roots
/// for external TSAs (`--tsa-root`) — its signature and chain to one of them
/// (a response that does not chain is refused: nothing is signed). Without
/// pinned roots the token is kept, but verifiers do not take it as the
/// signing time.
public struct HTTPTimestampAuthority: TimestampAuthority {
    public let url: URL
    public var timeout: TimeInterval = 10
    public var attempts = 3
    /// The pinned roots a response must chain to; nil: not checked (see above).
    public var roots: [Certificate]?

    public init(url: String, roots: [Certificate]? = nil) throws {
        try AuthoritySettings.validate(tsaURL: url)
        self.url = URL(string: url)!
        self.roots = roots.flatMap { $0.isEmpty ? nil : $0 }
    }

    public var trustedRoots: [Certificate]? { roots }

    public func respond(to request: TimestampRequest) throws -> Data {
        var problem = ""
        for attempt in 1...attempts {
            switch post(request.der) {
            case .success(let data): return data
            case .failure(let failure):
                problem = failure.message
                guard failure.retryable else { break }
            }
            if attempt < attempts { Thread.sleep(forTimeInterval: 0.25 * Double(1 << (attempt - 1))) }
        }
        throw AuthorityError(.io, "the time-stamping server \(url.absoluteString) did not answer (\(problem)); nothing was signed")
    }

    private struct Failure: Error {
        var message: String
        var retryable: Bool
    }

    private final class Outcome: @unchecked Sendable {
        var result: Result<Data, Failure>
        init(timeout: TimeInterval) {
            result = .failure(Failure(message: "no answer within \(Int(timeout)) s", retryable: true))
        }
    }

    private func post(_ body: Data) -> Result<Data, Failure> {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/timestamp-query", forHTTPHeaderField: "Content-Type")
        request.setValue("application/timestamp-reply", forHTTPHeaderField: "Accept")
        request.httpBody = body
        let outcome = Outcome(timeout: timeout)
        let done = DispatchSemaphore(value: 0)
        let task = URLSession.shared.dataTask(with: request) { data, response, error in
            defer { done.signal() }
            if let error {
                outcome.result = .failure(Failure(message: error.localizedDescription, retryable: true))
                return
            }
            guard let http = response as? HTTPURLResponse else {
                outcome.result = .failure(Failure(message: "not an HTTP answer", retryable: true))
                return
            }
            guard http.statusCode == 200, let data, !data.isEmpty else {
                outcome.result = .failure(Failure(message: "HTTP status \(http.statusCode)",
                                                  retryable: http.statusCode >= 500 || http.statusCode == 429))
                return
            }
            outcome.result = .success(data)
        }
        task.resume()
        if done.wait(timeout: .now() + timeout + 1) == .timedOut {
            task.cancel()
        }
        return outcome.result
    }
}

extension Authority {
    /// The roots chosen for external TSAs (`ca/tsa-roots.pem`).
    public func timestampingRoots() -> [Certificate] {
        (try? String(contentsOf: home.timestampingRoots, encoding: .utf8)).map(Certificate.allFromPEM) ?? []
    }

    /// Trusts `root` for external TSAs from now on: every token from such a
    /// TSA must chain to one of these roots (checked when signing), and
    /// verifiers take it as the signing time (the roots go into `trust.json`).
    /// It must be a CA certificate; the authority's choice, made explicitly.
    public func trustTimestampingRoot(_ root: Certificate) throws {
        guard root.isCA else {
            throw AuthorityError(.usage, "the TSA root \(root.subject.string) is not a CA certificate")
        }
        try Self.externalTSALock.withLock {
            var known = timestampingRoots()
            guard !known.contains(root) else { return }
            known.append(root)
            try AtomicFile.write(Data(known.map(\.pem).joined().utf8), to: home.timestampingRoots, permissions: 0o644)
        }
    }

    private static let externalTSALock = NSLock()

    /// The authority's own TSA, unlocked with the passphrase. An authority made
    /// before timestamps existed gets its TSA key and certificate now, issued by
    /// `ca` (the first use needs the CA key anyway).
    public func localTimestampAuthority(ca: CertificateAuthority, passphrase: String,
                                        now: Date = Date()) throws -> LocalTimestampAuthority {
        let paths = currentCA
        if !FileManager.default.fileExists(atPath: paths.tsaKey.path) {
            try Self.createTimestampAuthority(paths: paths, settings: settings, ca: ca, passphrase: passphrase, now: now)
        }
        return try localTimestampAuthority(ca: ca, key: unlockTimestampingKey(passphrase: passphrase))
    }

    /// The TSA key, decrypted (as slow as the CA key's, on purpose).
    private func unlockTimestampingKey(passphrase: String) -> Result<PrivateKey, Error> {
        Result { try PrivateKey(encryptedPKCS8PEM: Data(contentsOf: currentCA.tsaKey), passphrase: passphrase) }
    }

    private func localTimestampAuthority(ca: CertificateAuthority,
                                         key unlocked: Result<PrivateKey, Error>) throws -> LocalTimestampAuthority {
        let paths = currentCA
        do {
            let key = try unlocked.get()
            let certificate = try Certificate(pem: String(contentsOf: paths.tsaCertificate, encoding: .utf8))
            return try LocalTimestampAuthority(key: key, certificate: certificate, chain: [ca.certificate])
        } catch let error as PKIError where error.code == .wrongPassphrase {
            throw AuthorityError(.refused, "the passphrase does not open the TSA key \(paths.tsaKey.path)")
        } catch let error as PKIError {
            throw AuthorityError(.io, "the TSA key or certificate in \(paths.directory.path) cannot be used: \(error.message)")
        } catch {
            throw AuthorityError(.io, "cannot read the TSA key or certificate in \(paths.directory.path)")
        }
    }

    /// A P-256 TSA key (encrypted under the passphrase, mode 0600) and its
    /// certificate from the CA (extendedKeyUsage critical timeStamping).
    static func createTimestampAuthority(paths: AuthorityHome.CAPaths, settings: AuthoritySettings,
                                         ca: CertificateAuthority, passphrase: String, now: Date) throws {
        let key = try PrivateKey.generate(.p256)
        let certificate = try ca.issueTimestampingCertificate(
            subject: DistinguishedNameFields(commonName: "\(settings.name) Time-Stamping Authority",
                                             organization: settings.name),
            publicKeyOf: key, crlURI: settings.crlURL, caIssuersURI: settings.caCertificateURL, now: now)
        try AtomicFile.write(key.encryptedPKCS8PEM(passphrase: passphrase), to: paths.tsaKey, permissions: 0o600)
        try AtomicFile.write(Data(certificate.pem.utf8), to: paths.tsaCertificate, permissions: 0o644)
    }

    /// The signer every signing command uses: the CA unlocked; from B-T up,
    /// timestamps from the authority's own TSA, or from `tsaURL` (else the one
    /// `init --tsa` set); from B-LT up, the CA and TSA certificates and a CRL
    /// of the registry's current revocations, signed at each signature.
    public func signer(passphrase: String, tsaURL: String? = nil, level: PAdESLevel = .lt,
                       now: Date = Date()) throws -> DocumentSigner {
        let external = tsaURL ?? settings.tsaURL
        // The TSA key's passphrase derivation takes as long as the CA key's:
        // when both are needed and the TSA exists, they are unlocked at once.
        let unlocking = DispatchGroup()
        nonisolated(unsafe) var tsaKey: Result<PrivateKey, Error>?
        if level != .b, external == nil, FileManager.default.fileExists(atPath: currentCA.tsaKey.path) {
            DispatchQueue.global(qos: .userInitiated).async(group: unlocking) { [self] in
                tsaKey = unlockTimestampingKey(passphrase: passphrase)
            }
        }
        let ca = try unlock(passphrase: passphrase)
        unlocking.wait()
        var signer = DocumentSigner(ca: ca, settings: settings, retainPassphrase: settings.retainKeys ? passphrase : nil)
        guard level != .b else { return signer }
        let timestamps: TimestampSource
        if let external {
            timestamps = .external(try HTTPTimestampAuthority(url: external, roots: timestampingRoots()))
        } else if let tsaKey {
            timestamps = .local(try localTimestampAuthority(ca: ca, key: tsaKey))
        } else {
            timestamps = .local(try localTimestampAuthority(ca: ca, passphrase: passphrase, now: now))
        }
        signer.timestamps = timestamps
        signer.closingTimestamp = level == .lta
        guard level != .t else { return signer }
        let issuer = ca.certificate.subject.string
        let listings = try registry.revocationListings().filter { $0.issuer == nil || $0.issuer == issuer }
        let validityDays = settings.crlValidityDays
        signer.validationData = ValidationData(certificates: [ca.certificate]) { time in
            let thisUpdate = Date(timeIntervalSince1970: time.timeIntervalSince1970.rounded(.down))
            return try ca.makeCRL(revoked: listings.map(\.crlEntry), thisUpdate: thisUpdate,
                                  nextUpdate: thisUpdate.addingTimeInterval(Double(validityDays) * 86_400),
                                  crlNumber: CRLNumbering.next(after: nil, at: thisUpdate))
        }
        return signer
    }
}

