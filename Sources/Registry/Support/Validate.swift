import Foundation

/// Input checks shared by the operations; each failure is one `.badInput` sentence.
enum Validate {
    static func text(_ value: String, _ what: String) throws -> String {
        if hasNoOuterSpace(value) { return value }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw RegistryError(.badInput, "\(what) must not be empty") }
        return trimmed
    }

    static func optional(_ value: String?) -> String? {
        if let value, hasNoOuterSpace(value) { return value }
        guard let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty
        else { return nil }
        return trimmed
    }

    static func email(_ value: String) throws -> String {
        let email = value.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
              !email.contains(where: \.isWhitespace) else {
            throw RegistryError(.badInput, "\"\(value)\" is not an e-mail address")
        }
        return email
    }

    /// A lowercase 64-digit hex SHA-256, as every hash column stores it.
    static func sha256(_ value: String, _ what: String) throws -> String {
        let hash = value.lowercased()
        guard hash.utf8.count == 64, hash.utf8.allSatisfy(isHexDigit) else {
            throw RegistryError(.badInput, "\(what) \"\(value)\" is not a SHA-256 in hex")
        }
        return hash
    }

    static func hex(_ value: String, _ what: String) throws -> String {
        let hex = value.lowercased()
        guard !hex.isEmpty, hex.utf8.allSatisfy(isHexDigit) else {
            throw RegistryError(.badInput, "\(what) \"\(value)\" is not hexadecimal")
        }
        return hex
    }

    /// Tokens go into URLs and file names: ≥ 22 characters (128 bits in
    /// base64url) from the RFC 4648 §5 URL-safe alphabet.
    static func token(_ value: String) throws -> String {
        guard value.utf8.count >= 22, value.utf8.allSatisfy(isURLSafe) else {
            throw RegistryError(.badInput,
                "the token \"\(value)\" is not at least 22 URL-safe characters (A–Z, a–z, 0–9, - and _)")
        }
        return value
    }

    /// Starts and ends with a printable ASCII character other than a space, so
    /// trimming (slow in Foundation: ~10 µs per call) would change nothing.
    private static func hasNoOuterSpace(_ value: String) -> Bool {
        guard let first = value.utf8.first, let last = value.utf8.last else { return false }
        return (0x21...0x7E).contains(first) && (0x21...0x7E).contains(last)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
    }

    private static func isURLSafe(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            || byte == 0x2D || byte == 0x5F
    }
}

extension Validate {
    static func storedFile(_ file: StoredFile) throws -> StoredFile {
        var file = file
        file.sha256 = try sha256(file.sha256, "the file hash")
        guard file.size > 0 else {
            throw RegistryError(.badInput, "\(file.originalFilename) is empty, so it cannot be a PDF")
        }
        file.storedPath = try text(file.storedPath, "the stored path")
        file.originalFilename = try text(file.originalFilename, "the original file name")
        return file
    }
}
