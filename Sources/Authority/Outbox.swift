import Foundation
import Registry

/// Notification e-mails (the seed's e-mail service): one RFC 5322 message per
/// notice, written as `<home>/outbox/<time>-request-<id>-<what>.eml` for the
/// institution's own mail system to send (e.g. `sendmail -t < file`, then
/// move it away). segel never sends mail itself.
///
/// Headers carry only ASCII: names and subjects go RFC 2047 encoded
/// (`=?UTF-8?B?…?=`), and line breaks in anything a person typed are
/// removed, so no value can add a header.
public struct Outbox: Sendable {
    public let directory: URL
    public let authorityName: String
    public let baseURL: String

    public struct Message: Sendable, Hashable {
        public var toName: String
        public var toEmail: String
        public var subject: String
        public var body: String
        /// A short label for the file name ("signer-2", "rejected").
        public var label: String
        public var requestID: Int64
    }

    /// Writes `message` and returns its file.
    @discardableResult
    public func post(_ message: Message, at now: Date = Date()) throws -> URL {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw AuthorityError(.io, "cannot create the outbox \(directory.path): \(error.localizedDescription)")
        }
        let host = URLComponents(string: baseURL)?.host ?? "localhost"
        let stamp = Self.fileStamp(now)
        let name = "\(stamp)-request-\(message.requestID)-\(message.label).eml"
        var text = ""
        func header(_ key: String, _ value: String) { text += "\(key): \(value)\r\n" }
        header("From", "\(Self.encoded(authorityName)) <no-reply@\(host)>")
        header("To", "\(Self.encoded(message.toName)) <\(Self.oneLine(message.toEmail))>")
        header("Subject", Self.encoded(message.subject))
        header("Date", Self.rfc5322Date(now))
        header("Message-ID", "<\(stamp).request-\(message.requestID).\(message.label)@\(host)>")
        header("MIME-Version", "1.0")
        header("Content-Type", "text/plain; charset=utf-8")
        header("Content-Transfer-Encoding", "8bit")
        text += "\r\n"
        text += message.body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        if !text.hasSuffix("\r\n") { text += "\r\n" }
        let url = directory.appendingPathComponent(name)
        try AtomicFile.write(Data(text.utf8), to: url, permissions: 0o600)
        return url
    }

    /// The notice to the signer whose turn it is.
    public func yourTurn(request: ApprovalRequest, signer: Approver, position: Int, of count: Int,
                         earlier: [String]) -> Message {
        let signed = earlier.isEmpty ? "" : "\nSudah ditandatangani oleh / Already signed by: \(earlier.joined(separator: ", "))\n"
        let body = """
            Yth. \(signer.name),

            Permohonan \(request.id) "\(request.documentName)" menunggu persetujuan dan tanda tangan Anda \
            (penanda tangan \(position) dari \(count)).
            Request \(request.id) "\(request.documentName)" awaits your approval and signature \
            (signer \(position) of \(count)).
            \(signed)
            segel request show \(request.id)
            segel request approve \(request.id) --by \(signer.email)
            segel sign \(request.id)
            segel request reject \(request.id) --by \(signer.email) --reason "…"

            \(authorityName) — \(baseURL)
            """
        return Message(toName: signer.name, toEmail: signer.email,
                       subject: "Request \(request.id) \"\(request.documentName)\": your signature (\(position)/\(count))",
                       body: body, label: "signer-\(position)", requestID: request.id)
    }

    /// The notice to the requester that a signer rejected the request.
    public func rejected(request: ApprovalRequest, requester: User, by signer: Approver, reason: String) -> Message {
        let body = """
            Yth. \(requester.name),

            Permohonan \(request.id) "\(request.documentName)" ditolak oleh \(signer.name).
            Request \(request.id) "\(request.documentName)" was rejected by \(signer.name).

            Alasan / Reason: \(reason)

            Kirim versi baru / Submit a new version: segel request resubmit \(request.id) FILE

            \(authorityName) — \(baseURL)
            """
        return Message(toName: requester.name, toEmail: requester.email,
                       subject: "Request \(request.id) \"\(request.documentName)\" rejected",
                       body: body, label: "rejected", requestID: request.id)
    }

    /// The notice to the requester that every signer has signed.
    public func completed(request: ApprovalRequest, requester: User, verificationURL: String) -> Message {
        let body = """
            Yth. \(requester.name),

            Permohonan \(request.id) "\(request.documentName)" telah ditandatangani oleh semua penanda tangan.
            Request \(request.id) "\(request.documentName)" has been signed by every signer.

            Verifikasi / Verify: \(verificationURL)

            \(authorityName) — \(baseURL)
            """
        return Message(toName: requester.name, toEmail: requester.email,
                       subject: "Request \(request.id) \"\(request.documentName)\" signed",
                       body: body, label: "signed", requestID: request.id)
    }

    static func oneLine(_ text: String) -> String {
        String(text.unicodeScalars.filter { !CharacterSet.newlines.contains($0) && $0 != "\u{0}" })
    }

    /// RFC 2047 B-encoding when the text is not plain printable ASCII.
    static func encoded(_ text: String) -> String {
        let line = oneLine(text)
        if line.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F && !"\"<>=?".unicodeScalars.contains($0) }) {
            return line
        }
        return "=?UTF-8?B?\(Data(line.utf8).base64EncodedString())?="
    }

    static func rfc5322Date(_ date: Date) -> String { utc(date, "EEE, dd MMM yyyy HH:mm:ss '+0000'") }

    static func fileStamp(_ date: Date) -> String { utc(date, "yyyyMMdd'T'HHmmss.SSS'Z'") }

    /// `date` in UTC, in the fixed English form `format` gives.
    private static func utc(_ date: Date, _ format: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter.string(from: date)
    }
}
