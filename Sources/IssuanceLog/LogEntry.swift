import Foundation
import Record

/// One entry of the issuance log: a small canonical text a monitor reads
/// without segel (README "The issuance log"):
///
/// ```
/// segel-log-entry/1
/// kind document-signed | document-invalidated | key-revoked | ca-renewed
/// time 2026-12-07T00:51:50Z
/// token <token> | -
/// sha256 <SHA-256 of the signed PDF, 64 lowercase hex> | -
/// serial <certificate serial, lowercase hex> | -
/// fingerprint <SHA-256 of the certificate's DER, 64 lowercase hex>
/// status valid | invalidated | revoked | -
/// reason <JSON string> | -
/// ```
///
/// Every line ends in a newline; `-` stands for a value the kind has not
/// (a CA renewal names the new CA's certificate and no document). A reason
/// longer than 500 characters is cut there, with `…` (the audit log keeps it whole).
public struct LogEntry: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case documentSigned = "document-signed"
        case documentInvalidated = "document-invalidated"
        case keyRevoked = "key-revoked"
        case caRenewed = "ca-renewed"
    }

    public static let format = "segel-log-entry/1"

    public var kind: Kind
    /// ISO 8601 UTC, seconds.
    public var time: String
    public var token: String?
    public var sha256: String?
    public var serial: String?
    public var fingerprint: String
    public var status: String?
    public var reason: String?

    public init(kind: Kind, time: String, token: String?, sha256: String?, serial: String?, fingerprint: String,
                status: String?, reason: String?) {
        self.kind = kind
        self.time = time
        self.token = token
        self.sha256 = sha256
        self.serial = serial
        self.fingerprint = fingerprint
        self.status = status
        self.reason = reason
    }

    /// The canonical text.
    public var text: String {
        func value(_ text: String?) -> String { text ?? "-" }
        return """
            \(Self.format)
            kind \(kind.rawValue)
            time \(time)
            token \(value(token))
            sha256 \(value(sha256))
            serial \(value(serial))
            fingerprint \(fingerprint)
            status \(value(status))
            reason \(reason.map(JSONString.literal) ?? "-")

            """
    }

    public var data: Data { Data(text.utf8) }

    /// Reads the canonical text; nil for anything else (so a changed byte is never read as an entry).
    public init?(text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard text.hasSuffix("\n"), lines.count == 10, lines[0] == Self.format else { return nil }
        var values: [String] = []
        for (line, name) in zip(lines[1...8], ["kind", "time", "token", "sha256", "serial", "fingerprint", "status", "reason"]) {
            guard line.hasPrefix(name + " ") else { return nil }
            values.append(String(line.dropFirst(name.count + 1)))
        }
        func optional(_ value: String) -> String? { value == "-" ? nil : value }
        guard let kind = Kind(rawValue: values[0]) else { return nil }
        var reason: String?
        if values[7] != "-" {
            guard let data = values[7].data(using: .utf8),
                  let decoded = try? JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed) as? String else { return nil }
            reason = decoded
        }
        self.init(kind: kind, time: values[1], token: optional(values[2]), sha256: optional(values[3]),
                  serial: optional(values[4]), fingerprint: values[5], status: optional(values[6]), reason: reason)
        // Byte for byte: String equality would accept other normalisations of the same text.
        guard Data(self.text.utf8) == Data(text.utf8) else { return nil }
    }

    /// At most 500 characters of a reason, so an entry stays far below the
    /// 65,535 bytes a bundle can frame.
    public static func shortened(reason: String) -> String {
        reason.count <= 500 ? reason : String(reason.prefix(499)) + "…"
    }

}
