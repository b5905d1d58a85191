import Foundation

/// A DER SubjectPublicKeyInfo as a PEM `PUBLIC KEY` block (RFC 7468 §13), the
/// form the registry keeps and `segel keys export` prints.
enum PublicKeyPEM {
    static func encode(_ der: Data) -> String {
        let base64 = der.base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN PUBLIC KEY-----\n\(base64)\n-----END PUBLIC KEY-----\n"
    }
}

extension PrivateKey {
    /// The public half as a PEM `PUBLIC KEY` block.
    public var publicKeyPEM: String { PublicKeyPEM.encode(publicKeyDER) }
}

extension Certificate {
    /// The certified public key as a PEM `PUBLIC KEY` block; the same text as
    /// `PrivateKey.publicKeyPEM` for the certificate's own key, read from the
    /// certificate's encoding (OpenSSL 3.0 encodes a provider key's public half
    /// through an encoder context built anew for each call, ~0.3 ms).
    public var publicKeyPEM: String { PublicKeyPEM.encode(publicKeyDER) }
}
