import ArgumentParser
import Authority
import Foundation
import Registry

struct RequestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "The approval workflow: submit, resubmit, approve, reject, list, show.",
        discussion: """
        A request goes pending → approved → sign_approved (by `segel sign`), or pending → \
        rejected; a rejected request can be resubmitted with a new file (a new version), and \
        approval binds to that version's SHA-256.

        With several signers (`submit --signers A,B,C` or a group's name), each approves and \
        signs in turn: the request stays approved between signers and becomes sign_approved \
        with the last signature. Steps out of turn are refused; a rejection by any signer \
        sends the request back to its requester and voids what earlier signers signed, and a \
        resubmission starts the order again. Notices to the next signer (and to the requester) \
        are written as .eml files in <home>/outbox/ for the institution's mail system to send.
        """,
        subcommands: [Submit.self, Resubmit.self, Approve.self, Reject.self, List.self, Show.self])

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Submit a PDF for approval; prints the request id.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The PDF.") var file: String
        @Option(help: ArgumentHelp("Requester: id, e-mail or NIM.", valueName: "ID|EMAIL|NIM")) var user: String
        @Option(help: "Document name, e.g. \"Transkrip Nilai\".") var name: String
        @Option(help: "Document type.") var type: String?
        @Option(help: "Notes for the approver.") var notes: String?
        @Option(help: ArgumentHelp("Signers in order, comma-separated: approvers (id, e-mail, NIDN) or group names.",
                                   valueName: "A,B,…")) var signers: String?
        @Option(help: ArgumentHelp("A signer's signature field: position:page[:x:y[:size]] in points, e.g. 2:1:300:80.",
                                   valueName: "FIELD")) var field: [String] = []

        func run() async throws {
            let authority = try global.openAuthority()
            let request: ApprovalRequest
            if let signers {
                var fields: [Int: SigningTicket.SignatureFieldChoice] = [:]
                for text in field {
                    let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                    guard parts.count >= 2, parts.count != 3, parts.count <= 5, let position = Int(parts[0]),
                          let page = Int(parts[1]), page >= 1 else {
                        throw ValidationError("--field \(text) is not position:page[:x:y[:size]]")
                    }
                    let numbers = parts.dropFirst(2).map { Double($0) }
                    guard numbers.allSatisfy({ $0 != nil && $0!.isFinite }) else {
                        throw ValidationError("--field \(text) has a coordinate that is not a number")
                    }
                    fields[position] = SigningTicket.SignatureFieldChoice(
                        page: page, x: numbers.first ?? nil, y: numbers.count > 1 ? numbers[1] : nil,
                        size: numbers.count > 2 ? numbers[2] : nil)
                }
                request = try authority.submit(file: URL(fileURLWithPath: file), user: user, name: name, type: type,
                                               notes: notes, signers: signers.split(separator: ",").map(String.init),
                                               fields: fields)
            } else {
                guard field.isEmpty else { throw ValidationError("--field needs --signers") }
                request = try authority.submit(file: URL(fileURLWithPath: file), user: user, name: name,
                                               type: type, notes: notes)
            }
            if global.json { try Console.json(request) } else { Console.out(String(request.id)) }
        }
    }

    struct Resubmit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Submit a new version of a rejected request.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The request id.") var request: Int64
        @Argument(help: "The new PDF.") var file: String

        func run() async throws {
            let updated = try global.openAuthority().resubmit(request: request, file: URL(fileURLWithPath: file))
            if global.json { try Console.json(updated) } else { Console.note("Request \(updated.id) is \(updated.status.rawValue) again with a new version.") }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a pending request (binds the current version's hash).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The request id.") var request: Int64
        @Option(help: ArgumentHelp("Approver: id, e-mail or NIDN.", valueName: "APPROVER")) var by: String
        @Option(help: "Approval notes.") var notes: String?

        func run() async throws {
            let (updated, approver) = try global.openAuthority().approve(request: request, by: by, notes: notes)
            if global.json { try Console.json(updated) } else { Console.note("Request \(updated.id) approved by \(approver.name).") }
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a pending request with a reason.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The request id.") var request: Int64
        @Option(help: ArgumentHelp("Approver: id, e-mail or NIDN.", valueName: "APPROVER")) var by: String
        @Option(help: "Why it is rejected (the requester sees this).") var reason: String

        func run() async throws {
            let (updated, approver) = try global.openAuthority().reject(request: request, by: by, reason: reason)
            if global.json { try Console.json(updated) } else { Console.note("Request \(updated.id) rejected by \(approver.name).") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List requests, newest last.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this status: pending, approved, rejected, sign_approved, invalid_sign.") var status: RequestStatus?

        func run() async throws {
            let requests = try global.openAuthority().registry.requests(status: status)
            if global.json { try Console.json(requests); return }
            if requests.isEmpty { Console.note("No requests.") }
            for r in requests {
                Console.out("\(r.id)\t\(r.status.rawValue)\t\(r.documentName)\t\(Timestamp.string(from: r.createdAt))")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one request with its versions, signature and audit trail.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The request id.") var request: Int64

        func run() async throws {
            let detail = try global.openAuthority().registry.request(id: request)
            if global.json { try Console.json(RequestView(detail)); return }
            let r = detail.request
            Console.out("Request \(r.id): \(r.documentName)\(r.documentType.map { " (\($0))" } ?? "")")
            Console.out("  status      \(r.status.rawValue)")
            Console.out("  requester   \(detail.user.name) <\(detail.user.email)>\(detail.user.nim.map { ", NIM \($0)" } ?? "")")
            if let notes = r.notes { Console.out("  notes       \(notes)") }
            for v in detail.versions {
                Console.out("  version \(v.version)   sha256 \(v.fileSHA256)\(v.id == r.approvedVersionID ? "  (approved)" : "")")
            }
            if let by = detail.approvedBy, let at = r.approvedAt { Console.out("  approved    \(Timestamp.string(from: at)) by \(by.name)") }
            if let by = detail.rejectedBy, let at = r.rejectedAt {
                Console.out("  rejected    \(Timestamp.string(from: at)) by \(by.name): \(r.rejectionReason ?? "")")
            }
            let names = Dictionary(try global.openAuthority().registry.signers(of: r.id).map { ($0.signer.position, $0.approver.name) },
                                   uniquingKeysWith: { first, _ in first })
            for s in detail.signers {
                let key = detail.keys.first { $0.signerPosition == s.position }
                let place = [s.fieldPage.map { "page \($0)" }, s.fieldX.map { "x \($0)" }, s.fieldY.map { "y \($0)" }]
                    .compactMap { $0 }.joined(separator: " ")
                Console.out("  signer \(s.position)    \(s.state.rawValue)  \(names[s.position] ?? "approver \(s.approverID)")\(s.groupName.map { " (group \($0)\(s.role.map { ", \($0)" } ?? ""))" } ?? "")\(key.map { "  \($0.signatureID)" } ?? "")\(place.isEmpty ? "" : "  field \(place)")")
            }
            if let s = detail.signature {
                Console.out("  token       \(s.token)  (\(s.signatureStatus.rawValue))")
                Console.out("  signed pdf  \(s.finalPDFPath ?? "")")
                if let reason = s.invalidatedReason { Console.out("  invalidated \(reason)") }
            }
            for k in detail.keys { Console.out("  key         \(k.signatureID)  \(k.status.rawValue)") }
            Console.out("  audit:")
            for entry in detail.audit {
                Console.out("    \(Timestamp.string(from: entry.performedAt))  \(entry.action.rawValue)  \(entry.description)")
            }
        }
    }
}

extension RequestStatus: ExpressibleByArgument {}

/// `request show --json`: the detail as one object.
struct RequestView: Encodable {
    var request: ApprovalRequest
    var user: User
    var versions: [DocumentVersion]
    var approvedBy: Approver?
    var rejectedBy: Approver?
    var signature: DocumentSignature?
    var key: DigitalSignature?
    var keys: [DigitalSignature]
    var signers: [RequestSigner]
    var audit: [AuditLogEntry]

    init(_ d: RequestDetail) {
        request = d.request; user = d.user; versions = d.versions; approvedBy = d.approvedBy
        rejectedBy = d.rejectedBy; signature = d.signature; key = d.key; keys = d.keys; signers = d.signers
        audit = d.audit
    }

    enum CodingKeys: String, CodingKey {
        case request, user, versions, signature, key, keys, signers, audit
        case approvedBy = "approved_by"
        case rejectedBy = "rejected_by"
    }
}
