/// The empty signature field the first of several signers makes for each
/// signer after them (`Segel-Signer-2`, `Segel-Signer-3`, …): defined once,
/// written by the signer, read by the verifier, which reports a document
/// with such a field still empty as not yet signed by everyone.
public enum ReservedSignatureField {
    public static let prefix = "Segel-Signer-"

    /// The field of the signer at `position` (2 or later).
    public static func name(position: Int) -> String { "\(prefix)\(position)" }

    /// The position a field's name reserves, or nil for any other field.
    public static func position(of name: String) -> Int? {
        guard name.hasPrefix(prefix) else { return nil }
        return Int(name.dropFirst(prefix.count)).flatMap { $0 >= 2 ? $0 : nil }
    }
}
