import Foundation

extension PrivateKey {
    /// The public half as a PEM `PUBLIC KEY` block (SubjectPublicKeyInfo, RFC 7468 §13),
    /// the form the registry keeps and `segel keys export` prints.
    public var publicKeyPEM: String {
        let base64 = publicKeyDER.base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN PUBLIC KEY-----\n\(base64)\n-----END PUBLIC KEY-----\n"
    }
}
