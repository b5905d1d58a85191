import Foundation
import IssuanceLog
import PKI

/// Check 6, the published record (DESIGN.md "The published site"): the
/// record of the token that the authority's certificate names says valid,
/// and its final hash and certificate are the file's.
extension FileVerification {
    /// `ordinal`: how many of the authority's signatures come before this one
    /// in the file (a record with several signers lists them in that order).
    func recordResult(_ candidate: SignatureCandidate, role: SignatureReport.Role, hashes: FileHashes,
                      sealHasLaterRevisions: Bool, ordinal: Int = 0) -> (result: CheckResult, token: String?, record: PublishedRecord?) {
        guard role == .seal || role == .authority else {
            return (.unknown("not applicable: not signed by this authority"), nil, nil)
        }
        guard let certificate = candidate.signerCertificate, candidate.issuedByTrustedCA else {
            return (.unknown("not checked: the certificate is not one this authority issued"), nil, nil)
        }
        let address: DocumentAddress
        switch VerificationURL.find(in: certificate.subjectAltNameURIs, siteURL: trust.siteURL) {
        case .token(let found, _):
            address = found
        case .absent:
            return (trust.records == nil
                ? .unknown("the certificate carries no verification URL, and no published record was given")
                : .fail("the certificate carries no verification URL, so the document has no published record"), nil, nil)
        case .otherSite(let url):
            return (.fail("the certificate's verification URL \(url) is not on this authority's site \(trust.siteURL ?? "")"), nil, nil)
        }
        let token = address.token
        guard let records = trust.records else {
            return (.unknown("no published record was given (use --site to check it)"), token, nil)
        }
        switch records.record(at: address) {
        case .missing(let reason):
            return (.unknown("\(reason); the site copy may be older than the document"), token, nil)
        case .unreadable(let reason):
            return (.unknown(reason), token, nil)
        case .found(let record):
            return (compare(record, certificate: certificate, hashes: hashes, sealHasLaterRevisions: sealHasLaterRevisions,
                            isSeal: role == .seal, ordinal: ordinal, signedEnd: candidate.ranges?.end),
                    token, record)
        }
    }

    private func compare(_ record: PublishedRecord, certificate: Certificate, hashes: FileHashes,
                         sealHasLaterRevisions: Bool, isSeal: Bool, ordinal: Int, signedEnd: Int?) -> CheckResult {
        let when = record.statusDate.flatMap(ISOTime.date(from:)).map { " on \(ISOTime.readable($0))" } ?? ""
        let why = record.statusReason.map { ": \($0)" } ?? ""
        switch record.status {
        case .invalidated:
            return .fail("the authority invalidated this document\(when)\(why)")
        case .revoked:
            return .fail("the authority revoked this document's signing key\(when)\(why)")
        case .valid:
            break
        }
        let entries = record.allSignatures
        guard let entry = record.signature(serial: certificate.serialHex),
              entry.certificate.fingerprintSHA256.lowercased() == certificate.sha256FingerprintHex else {
            return .fail("the published record names a different certificate than the one that signed this file")
        }
        let count = entries.count
        guard entry.position == ordinal + 1, entries.firstIndex(of: entry) == ordinal else {
            return .fail("the published record lists this certificate as signer \(entry.position) of \(count), but it is signature \(ordinal + 1) of the authority's in this file")
        }
        if !isSeal {
            // An earlier signer: the file as it was right after this signature.
            guard ordinal < count - 1, let end = signedEnd, let prefix = hashes.prefixes[end],
                  Digest.hex(prefix) == entry.sha256.lowercased() else {
                return .fail("the published record does not list the file as signer \(entry.position) of \(count) left it")
            }
            return .pass("the published record says valid and lists this signature as signer \(entry.position) of \(count) (\(entry.signatureID)), with the file as it was after it")
        }
        guard ordinal == count - 1, record.certificate.serial.lowercased() == certificate.serialHex.lowercased() else {
            return .fail("the published record has \(count) signers, but this file ends after signer \(ordinal + 1)'s signature")
        }
        let published = record.sha256.lowercased()
        if published == Digest.hex(hashes.file) {
            return .pass("the published record says valid and names this exact file and certificate (\(record.signatureID))")
        }
        if let trimmed = hashes.withoutTrailingWhitespace.first(where: { Digest.hex($0.sha256) == published }) {
            let extra = fileLength - trimmed.end
            return .pass("the published record says valid and names this file and certificate (\(record.signatureID)); \(extra == 1 ? "the 1 byte" : "the \(extra) bytes") of white-space after its end \(extra == 1 ? "is" : "are") not covered by the signature")
        }
        if sealHasLaterRevisions, let upToSeal = hashes.upToSeal, published == Digest.hex(upToSeal) {
            return .pass("the published record says valid and names this file as signed, before validation data was appended (\(record.signatureID))")
        }
        return .fail("this file is not the one the authority published: its SHA-256 differs from the published record")
    }

    /// Check 7, the issuance log (README "The issuance log"): the record's
    /// entry names this document and its certificate, the inclusion proof
    /// takes it to the checkpoint, and the checkpoint carries the log's
    /// signature by the key trust.json names.
    func logResult(_ record: PublishedRecord?, token: String?, certificate: Certificate?) -> CheckResult {
        guard let verifier = trust.logVerifier else { return .unknown("the site publishes no issuance log") }
        guard let record, let certificate else { return .unknown("not checked: no published record to take the log entry from") }
        guard let signature = record.signature(serial: certificate.serialHex), let log = signature.log else {
            return .fail("the published record carries no entry of the authority's public issuance log for this signature")
        }
        let checkpoint: Checkpoint
        do {
            checkpoint = try Checkpoint.verify(log.checkpoint, with: verifier)
        } catch {
            return .fail("the record's checkpoint does not hold: \(error)")
        }
        guard checkpoint.origin == verifier.name, checkpoint.size == log.treeSize else {
            return .fail("the record's checkpoint is not the log's checkpoint of \(log.treeSize) entries")
        }
        guard let entry = LogEntry(text: log.entry), entry.kind == .documentSigned, entry.token == record.token,
              entry.token == token,
              entry.sha256 == signature.sha256.lowercased(), entry.serial == certificate.serialHex.lowercased(),
              entry.fingerprint == certificate.sha256FingerprintHex else {
            return .fail("the record's log entry does not name this document and certificate")
        }
        let proof = log.inclusion.compactMap { Data(base64Encoded: $0) }
        guard proof.count == log.inclusion.count, proof.allSatisfy({ $0.count == 32 }),
              MerkleTree.verifyInclusion(leafHash: MerkleTree.leafHash(entry.data), index: log.index,
                                         treeSize: log.treeSize, proof: proof, root: checkpoint.root) else {
            return .fail("the inclusion proof of entry \(log.index) does not lead to the signed checkpoint of \(log.treeSize) entries")
        }
        return .pass("entry \(log.index) of tree size \(log.treeSize), in a checkpoint signed by \(verifier.name)")
    }
}
