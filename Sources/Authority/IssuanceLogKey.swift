import Crypto
import Foundation
import IssuanceLog
import PKI

extension AuthorityHome {
    /// `log/`: the issuance log's key (`key.pem`, Ed25519 in PKCS#8 encrypted
    /// like the CA key, mode 0600), its verifier key (`key.vkey`, public) and
    /// every checkpoint it signed (`checkpoints/<size>`).
    public var logDirectory: URL { url.appendingPathComponent("log", isDirectory: true) }
    public var logKey: URL { logDirectory.appendingPathComponent("key.pem") }
    public var logVerifierKey: URL { logDirectory.appendingPathComponent("key.vkey") }
    public var logCheckpoints: URL { logDirectory.appendingPathComponent("checkpoints", isDirectory: true) }
}

extension Authority {
    /// The log's origin line and key name: the base URL without its scheme, then `/log`
    /// (c2sp.org/tlog-tiles: the URL prefix of the log). A signed-note key name
    /// holds no `+` and no white space, so those are percent-encoded.
    public var logOrigin: String {
        var origin = settings.baseURL
        if let scheme = origin.range(of: "://") { origin = String(origin[scheme.upperBound...]) }
        var encoded = ""
        for scalar in (origin + "/log").unicodeScalars {
            if scalar == "+" || scalar == "%" || CharacterSet.whitespacesAndNewlines.contains(scalar) {
                for byte in String(scalar).utf8 { encoded += String(format: "%%%02X", byte) }
            } else {
                encoded.unicodeScalars.append(scalar)
            }
        }
        return encoded
    }

    /// The issuance log's verifier key. An authority without a log key (made
    /// before 0.6) gets one now, encrypted under the passphrase; a key file
    /// whose verifier key was lost gets it back from the key. A key is never
    /// replaced: a verifier key without its key is refused.
    public func issuanceLogVerifier(passphrase: () throws -> String) throws -> VerifierKey {
        let fileManager = FileManager.default
        let hasKey = fileManager.fileExists(atPath: home.logKey.path)
        let hasVerifier = fileManager.fileExists(atPath: home.logVerifierKey.path)
        if hasKey && hasVerifier {
            guard let text = try? String(contentsOf: home.logVerifierKey, encoding: .utf8),
                  let verifier = VerifierKey(text.trimmingCharacters(in: .whitespacesAndNewlines)),
                  verifier.name == logOrigin else {
                throw AuthorityError(.io, "\(home.logVerifierKey.path) is not the verifier key of the log \(logOrigin)")
            }
            return verifier
        }
        if hasVerifier {
            throw AuthorityError(.refused, "the issuance log key \(home.logKey.path) is missing while its verifier key \(home.logVerifierKey.path) exists; restore the key (a new one would start another log)")
        }
        if hasKey {
            let verifier = try unlockIssuanceLog(passphrase: try passphrase()).verifier
            try AtomicFile.write(Data((verifier.vkey + "\n").utf8), to: home.logVerifierKey, permissions: 0o644)
            return verifier
        }
        let passphrase = try passphrase()
        let key = Curve25519.Signing.PrivateKey()
        let verifier = LogKey(name: logOrigin, privateKey: key).verifier
        do {
            try FileManager.default.createDirectory(at: home.logDirectory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            try AtomicFile.write(Ed25519KeyFile.encrypt(rawPrivateKey: key.rawRepresentation, passphrase: passphrase),
                                 to: home.logKey, permissions: 0o600)
            try AtomicFile.write(Data((verifier.vkey + "\n").utf8), to: home.logVerifierKey, permissions: 0o644)
        } catch let error as AuthorityError {
            throw error
        } catch {
            throw AuthorityError(.io, "cannot create the issuance log key in \(home.logDirectory.path): \(error)")
        }
        return verifier
    }

    /// The issuance log's signing key, unlocked with the passphrase.
    public func unlockIssuanceLog(passphrase: String) throws -> LogKey {
        let pem: Data
        do {
            pem = try Data(contentsOf: home.logKey)
        } catch {
            throw AuthorityError(.io, "cannot read the issuance log key \(home.logKey.path)")
        }
        do {
            let raw = try Ed25519KeyFile.decrypt(pem: pem, passphrase: passphrase)
            return LogKey(name: logOrigin, privateKey: try Curve25519.Signing.PrivateKey(rawRepresentation: raw))
        } catch let error as PKIError where error.code == .wrongPassphrase {
            throw AuthorityError(.refused, "the passphrase does not open the issuance log key \(home.logKey.path)")
        } catch let error as PKIError {
            throw AuthorityError(.io, "the issuance log key \(home.logKey.path) cannot be used: \(error.message)")
        }
    }
}
