import Foundation
import PKI
import Record
import Registry

extension Authority {
    /// Submits, approves and signs one manifest row — or recognises it as done.
    ///
    /// A row is identified by its file's SHA-256, document name and approver
    /// (`ApprovalRequest.identityKey`), so a rerun after a crash or Ctrl-C skips
    /// rows already signed and finishes rows left half-way (submitted or
    /// approved, not yet signed); the registry's unique identity key means two
    /// workers can never create the same request twice.
    ///
    /// `people` remembers the approvers and requesters found for earlier rows
    /// of the same batch (most rows name the same few), so a row reads the
    /// registry once before its write instead of three times.
    public func processBatchRow(_ row: BatchRow, signer: DocumentSigner, keyType: KeyType,
                                people: BatchPeople = BatchPeople()) -> BatchResult {
        let label = row.file.lastPathComponent
        func failed(_ message: String) -> BatchResult {
            BatchResult(line: row.line, file: row.file.path, status: .failed, result: nil, error: "line \(row.line): \(message)")
        }
        do {
            // Several signers (a group's name counts as its approvers), all signing in this one step.
            let choices = row.signers.isEmpty ? [] : try people.signers(row.signers) { try registry.resolveSigners($0) }
            let approver = try choices.first.map { try registry.approver(id: $0.approverID) }
                ?? people.approver(row.approver) { try registry.findApprover($0) }
            // Read once: the bytes hashed for the row's identity are the bytes signed and stored.
            guard let input = try? Data(contentsOf: row.file) else {
                return failed("cannot read \(row.file.path)")
            }
            let sha256 = Digest.hex(Digest.sha256(input))
            let identity = ApprovalRequest.identityKey(fileSHA256: sha256, documentName: row.name, approverID: approver.id)
            let options = SigningOptions(keyType: keyType, position: row.position)

            var request = try registry.request(identityKey: identity)
            if request == nil {
                let requester = try people.requester(row, approver: approver) { try batchRequester(row, approver: approver) }
                do {
                    let result = try submitAndSign(
                        pdf: input, sha256: sha256, fileLabel: row.file.path, fileName: label,
                        user: requester.id, name: row.name,
                        type: row.type, notes: "segel batch, line \(row.line)", identityKey: identity,
                        approver: approver, approvalNotes: "segel batch", signer: signer, options: options,
                        signers: choices)
                    return BatchResult(line: row.line, file: row.file.path, status: .signed, result: result, error: nil)
                } catch let error as RegistryError where error.code == .duplicate {
                    // Another worker or process recorded the same row a moment ago.
                    request = try registry.request(identityKey: identity)
                }
            }
            guard var current = request else { return failed("the request for \(label) vanished") }
            if current.status == .pending {
                do {
                    current = try registry.approve(request: current.id, by: approver.id, notes: "segel batch")
                } catch let error as RegistryError where error.code == .illegalTransition {
                    current = try registry.request(id: current.id).request
                }
            }
            switch current.status {
            case .approved:
                do {
                    let result = try sign(request: current.id, with: signer, options: options)
                    return BatchResult(line: row.line, file: row.file.path, status: .signed, result: result, error: nil)
                } catch let error as RegistryError where error.code == .illegalTransition {
                    // Signed by another process between our check and our commit.
                    return try skipped(row, request: current.id)
                }
            case .signApproved, .invalidSign:
                return try skipped(row, request: current.id)
            default:
                return failed("request \(current.id) for \(label) is \(current.status.rawValue); only pending or approved requests are signed")
            }
        } catch let error as AuthorityError {
            return failed(error.message)
        } catch let error as RegistryError {
            return failed(error.message)
        } catch let error as PKIError {
            return failed(error.description)
        } catch {
            return failed("\(error)")
        }
    }

    private func skipped(_ row: BatchRow, request id: Int64) throws -> BatchResult {
        let detail = try registry.request(id: id)
        guard let signature = detail.signature else {
            return BatchResult(line: row.line, file: row.file.path, status: .failed, result: nil,
                               error: "line \(row.line): request \(id) is \(detail.request.status.rawValue) but has no signature")
        }
        let result = SigningResult(request: id, token: signature.token, signatureID: detail.key?.signatureID ?? "",
                                   signedPDF: signature.finalPDFPath ?? "", sha256: signature.finalHash ?? "",
                                   verificationURL: signature.verificationURL(baseURL: settings.baseURL),
                                   lookupCode: (detail.key?.signatureID).flatMap(LookupCode.init(signatureID:))?.grouped ?? "")
        var reported = result
        if detail.keys.count > 1 {
            // Every signature of a row several approvers signed, as when it was signed.
            reported.signatures = try signatureSummaries(of: detail.keys)
            reported.remainingSigners = []
        }
        return BatchResult(line: row.line, file: row.file.path, status: .skipped, result: reported, error: nil)
    }

    /// The row's user (found, or added from user_email/user_name/user_nim), else the approver.
    private func batchRequester(_ row: BatchRow, approver: Approver) throws -> User {
        let email = row.userEmail ?? approver.email
        if let user = try? registry.findUser(email) { return user }
        if row.userEmail == nil, let nim = row.userNIM, let user = try? registry.findUser(nim) { return user }
        do {
            return try registry.addUser(name: row.userName ?? (row.userEmail == nil ? approver.name : email),
                                        email: email, nim: row.userNIM)
        } catch let error as RegistryError where error.code == .duplicate {
            return try registry.findUser(email)
        }
    }
}

/// Approvers, lists of signers and requesters already found in one batch, by
/// the manifest's spelling. Records of people do not change during a batch; a
/// row whose approver or user was deleted meanwhile fails on the registry's
/// foreign keys.
public final class BatchPeople: @unchecked Sendable {
    private let lock = NSLock()
    private var approvers: [String: Approver] = [:]
    private var signerLists: [[String]: [SignerChoice]] = [:]
    private var requesters: [String: User] = [:]

    public init() {}

    func approver(_ key: String, find: (String) throws -> Approver) throws -> Approver {
        if let known = lock.withLock({ approvers[key] }) { return known }
        let found = try find(key)
        lock.withLock { approvers[key] = found }
        return found
    }

    /// A row's `signers`, groups expanded (most rows of a batch name the same few).
    func signers(_ names: [String], resolve: ([String]) throws -> [SignerChoice]) throws -> [SignerChoice] {
        if let known = lock.withLock({ signerLists[names] }) { return known }
        let found = try resolve(names)
        lock.withLock { signerLists[names] = found }
        return found
    }

    /// Keyed by everything `batchRequester` looks at.
    func requester(_ row: BatchRow, approver: Approver, find: () throws -> User) throws -> User {
        let key = [row.userEmail ?? "", row.userName ?? "", row.userNIM ?? "", String(approver.id)].joined(separator: "\u{1F}")
        if let known = lock.withLock({ requesters[key] }) { return known }
        let found = try find()
        lock.withLock { requesters[key] = found }
        return found
    }
}

/// Runs rows on `jobs` worker threads; `shouldStop` is checked before each row
/// starts (Ctrl-C lets the rows in progress finish), `onResult` is called under
/// a lock, in completion order.
public enum BatchRunner {
    public static func run(_ rows: [BatchRow], jobs: Int, shouldStop: @escaping @Sendable () -> Bool,
                           process: @escaping @Sendable (BatchRow) -> BatchResult,
                           onResult: @escaping @Sendable (BatchResult) -> Void) {
        let state = NSLock()
        nonisolated(unsafe) var next = 0
        let group = DispatchGroup()
        for _ in 0..<max(1, min(jobs, rows.count)) {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                while true {
                    state.lock()
                    let index = next
                    next += 1
                    state.unlock()
                    guard index < rows.count, !shouldStop() else { return }
                    let result = process(rows[index])
                    state.lock()
                    onResult(result)
                    state.unlock()
                }
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
        group.wait()
    }
}
