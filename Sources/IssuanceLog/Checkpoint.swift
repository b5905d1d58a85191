import Crypto
import Foundation
import Hashing

/// A log checkpoint (c2sp.org/tlog-checkpoint) as a signed note
/// (c2sp.org/signed-note) with one Ed25519 signature by the log:
///
/// ```
/// <origin>\n<tree size>\n<base64 root hash>\n
/// \n
/// — <key name> <base64(key ID ‖ 64-byte signature)>\n
/// ```
///
/// The signature covers the three body lines with their newlines. The key
/// ID is the first four bytes of SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public
/// key); the verifier key is `<name>+<key ID hex>+<base64(0x01 ‖ public key)>`.
public struct Checkpoint: Sendable, Hashable {
    public let origin: String
    public let size: Int
    public let root: Data

    public init(origin: String, size: Int, root: Data) {
        self.origin = origin
        self.size = size
        self.root = root
    }

    /// The note body: what the signature covers.
    public var body: String {
        "\(origin)\n\(size)\n\(root.base64EncodedString())\n"
    }

    /// The signed note.
    public func signed(by key: LogKey) throws -> String {
        let signature = try key.privateKey.signature(for: Data(body.utf8))
        return body + "\n— \(key.name) \((key.id + signature).base64EncodedString())\n"
    }

    public enum VerificationError: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case noSignatureByKey(String)
        case badSignature(String)

        public var description: String {
            switch self {
            case .malformed(let why): "it is not a well-formed checkpoint: \(why)"
            case .noSignatureByKey(let name): "it carries no signature by the log key \(name)"
            case .badSignature(let name): "its signature by \(name) does not verify"
            }
        }
    }

    /// Parses a signed checkpoint and checks its signature by `verifier`.
    public static func verify(_ note: String, with verifier: VerifierKey) throws -> Checkpoint {
        let read = try unverified(note, signedBy: verifier)
        for signature in read.signatures where !verifier.publicKey.isValidSignature(signature, for: read.body) {
            throw VerificationError.badSignature(verifier.name)
        }
        return read.checkpoint
    }

    /// Parses a signed checkpoint and finds its signatures by `verifier`'s
    /// key (at least one, else `noSignatureByKey`) without checking them:
    /// `verify` checks them. For a note whose signature is checked later, when
    /// it is used (a publish reads every checkpoint its log has kept, and
    /// shows few of them).
    public static func unverified(_ note: String, signedBy verifier: VerifierKey) throws
        -> (checkpoint: Checkpoint, body: Data, signatures: [Data]) {
        // Read as bytes, as the note format is defined (a publish reads every checkpoint its log has kept).
        let bytes = Array(note.utf8)
        let newline = UInt8(ascii: "\n")
        guard let blank = bytes.indices.dropLast().first(where: { bytes[$0] == newline && bytes[$0 + 1] == newline }) else {
            throw VerificationError.malformed("no blank line before the signatures")
        }
        // The body with the newline that ends its last line.
        let body = bytes[...blank]
        let lines = body.dropLast().split(separator: newline, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        guard lines.count >= 3, !lines[0].isEmpty, let size = Int(lines[1]), size >= 0, String(size) == lines[1],
              let root = Data(base64Encoded: lines[2]), root.count == 32 else {
            throw VerificationError.malformed("the body is not origin, tree size and root hash")
        }
        let signatureLines = bytes[(blank + 2)...].split(separator: newline, omittingEmptySubsequences: false)
        guard bytes.last == newline, signatureLines.last?.isEmpty == true else {
            throw VerificationError.malformed("it does not end in a newline")
        }
        let id = verifier.id
        var signatures: [Data] = []
        for line in signatureLines.dropLast() {
            let fields = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false).map {
                String(decoding: $0, as: UTF8.self)
            }
            guard fields.count == 3, fields[0] == "—" else { throw VerificationError.malformed("a signature line is not \"— name signature\"") }
            guard fields[1] == verifier.name, let blob = Data(base64Encoded: fields[2]), blob.count == 68,
                  blob.prefix(4) == id else { continue }
            signatures.append(Data(blob.dropFirst(4)))
        }
        guard !signatures.isEmpty else { throw VerificationError.noSignatureByKey(verifier.name) }
        return (Checkpoint(origin: lines[0], size: size, root: root), Data(body), signatures)
    }
}

/// The log's Ed25519 signing key (swift-crypto) and its note key name.
public struct LogKey: Sendable {
    public let name: String
    public let privateKey: Curve25519.Signing.PrivateKey

    public init(name: String, privateKey: Curve25519.Signing.PrivateKey) {
        self.name = name
        self.privateKey = privateKey
    }

    public var verifier: VerifierKey { VerifierKey(name: name, publicKey: privateKey.publicKey) }
    var id: Data { verifier.id }
}

/// A note verifier key: `<name>+<key ID hex>+<base64(0x01 ‖ public key)>`.
public struct VerifierKey: Sendable {
    public let name: String
    public let publicKey: Curve25519.Signing.PublicKey

    public init(name: String, publicKey: Curve25519.Signing.PublicKey) {
        self.name = name
        self.publicKey = publicKey
    }

    /// Parses the vkey form; nil when it is not an Ed25519 key whose ID matches.
    public init?(_ text: String) {
        // The key data is base64, which may itself hold "+": name and ID end at the first two.
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[1].count == 8,
              let encoded = Data(base64Encoded: String(parts[2])), encoded.count == 33, encoded.first == 0x01,
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: encoded.dropFirst()) else { return nil }
        self.init(name: String(parts[0]), publicKey: key)
        guard Digest.hex(id) == parts[1] else { return nil }
    }

    /// SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key), first four bytes.
    public var id: Data {
        Data(Digest.sha256(Data(name.utf8) + Data([0x0A, 0x01]) + publicKey.rawRepresentation).prefix(4))
    }

    public var vkey: String {
        "\(name)+\(Digest.hex(id))+\((Data([0x01]) + publicKey.rawRepresentation).base64EncodedString())"
    }
}
