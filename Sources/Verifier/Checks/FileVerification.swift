import Foundation
import PDF
import PKI
import Record

/// One run of the verifier over one file: reads it strictly, gathers its
/// signatures, hashes it once, runs the checks of DESIGN.md "The verifier" on
/// every signature and derives the verdict. Each check lives in an extension
/// named after it (`FileVerification+Coverage.swift`, …).
struct FileVerification {
    let name: String
    let data: Data
    let source: any ByteSource
    let trust: TrustContext
    let now: Date

    /// More signatures than any real document carries; each one costs a hash of its tail.
    static let maxSignatures = 100

    var fileLength: Int { source.count }

    func run() throws -> VerificationReport {
        guard fileLength > 0 else {
            return fileProblem(.invalid, "the file is empty", sha256: Digest.hex(Digest.sha256(Data())))
        }
        let document: PDFDocument
        do {
            document = try PDFDocument(data: data, options: .strict)
        } catch let error as PDFError {
            let sha256 = try RangeDigester(source: source).run([], checkpoints: []).file
            switch error.code {
            case .passwordRequired:
                return fileProblem(.indeterminate, "the file is protected by a password, so its signatures cannot be checked",
                                   sha256: Digest.hex(sha256))
            case .unsupported:
                return fileProblem(.indeterminate, "the file cannot be checked: \(error.description)",
                                   sha256: Digest.hex(sha256))
            default:
                return fileProblem(.invalid, "the file is not a well-formed PDF (\(error.description))",
                                   sha256: Digest.hex(sha256))
            }
        } catch {
            let sha256 = try RangeDigester(source: source).run([], checkpoints: []).file
            return fileProblem(.invalid, "the file is not a well-formed PDF (\(error))", sha256: Digest.hex(sha256))
        }

        let fields: [SignatureField]
        let waiting: [Int]
        do {
            let all = try document.signatureFields
            fields = all.filter(\.isSigned)
            // Fields the first of several signers reserved that are still empty.
            waiting = all.filter { !$0.isSigned }.compactMap { ReservedSignatureField.position(of: $0.name) }.sorted()
        } catch {
            let sha256 = try RangeDigester(source: source).run([], checkpoints: []).file
            return fileProblem(.invalid, "the file's form fields cannot be read (\(error))", sha256: Digest.hex(sha256))
        }
        guard !fields.isEmpty else {
            let sha256 = try RangeDigester(source: source).run([], checkpoints: []).file
            return fileProblem(.invalid, "the file carries no signature", sha256: Digest.hex(sha256))
        }
        guard fields.count <= FileVerification.maxSignatures else {
            let sha256 = try RangeDigester(source: source).run([], checkpoints: []).file
            return fileProblem(.invalid, "the file carries \(fields.count) signatures, more than a document can plausibly have",
                               sha256: Digest.hex(sha256))
        }

        var candidates = fields.enumerated().compactMap { index, field in
            field.signature.map {
                SignatureCandidate(index: index, field: field, signature: $0, fileLength: fileLength, trust: trust)
            }
        }
        candidates.sort { $0.sortKey < $1.sortKey }
        let sealIndex = candidates.lastIndex { !$0.isTimestamp }
        let roles = candidates.indices.map { role(of: candidates[$0], at: $0, sealIndex: sealIndex) }

        // Hash everything in one pass: the file, each range, and the file up to
        // the seal (a record's hash when DSS/timestamp revisions were added later).
        let requests = candidates.map(digestRequest(for:))
        let sealEnd = sealIndex.flatMap { candidates[$0].ranges?.end }
        let untrimmed = Self.endsBeforeTrailingWhitespace(document: document, data: data, fileLength: fileLength)
        // Where each earlier signature of the authority's ends: a record lists the
        // file's hash at that point for every signer but the last.
        let signerEnds = candidates.indices.compactMap { index -> Int? in
            guard roles[index] == .authority, let end = candidates[index].ranges?.end, end < fileLength else { return nil }
            return end
        }
        let checkpoints = Array(Set((sealEnd.map { $0 < fileLength ? [$0] : [] } ?? []) + untrimmed + signerEnds)).sorted()
        let digested = try RangeDigester(source: source).run(requests.compactMap { $0 }, checkpoints: checkpoints)
        var digestIterator = digested.digests.makeIterator()
        let rangeDigests: [Data?] = requests.map { $0 == nil ? nil : digestIterator.next() }
        var hashes = FileHashes(file: digested.file, upToSeal: sealEnd.flatMap { digested.checkpoints[$0] },
                                withoutTrailingWhitespace: untrimmed.compactMap { end in
                                    digested.checkpoints[end].map { (end: end, sha256: $0) }
                                })
        for end in signerEnds { hashes.prefixes[end] = digested.checkpoints[end] }
        var ordinal = 0
        let signerOrdinals = roles.map { role -> Int? in
            guard role == .seal || role == .authority else { return nil }
            defer { ordinal += 1 }
            return ordinal
        }

        let documentProblem = structureProblem(of: document)
        let embeddedCRLs = self.embeddedCRLs(of: document)
        let coverage = coverageResults(candidates, sealIndex: sealIndex, document: document)

        var reports: [SignatureReport] = []
        for (position, candidate) in candidates.enumerated() {
            let role = roles[position]
            var checks = SignatureChecks(all: .unknown("not checked"))
            checks.structure = structureResult(candidate, documentProblem: documentProblem,
                                               revisions: document.revisions.count)
            checks.coverage = coverage[position]
            (checks.digest, checks.signature) = cmsResults(candidate, rangeDigest: rangeDigests[position],
                                                           mustBindCertificate: role == .seal || role == .authority)
            let laterTimestamps = candidates[(position + 1)...].compactMap { $0.isTimestamp ? $0.timestampToken?.generationTime : nil }
            let stamp = signatureTimestampEvidence(candidate)
            let certificate = certificateResults(candidate, role: role, laterTimestamps: laterTimestamps, stamp: stamp)
            checks.chain = certificate.chain
            checks.validity = certificate.validity
            checks.revocation = revocationResult(candidate, role: role, embedded: embeddedCRLs)
            let record = recordResult(candidate, role: role, hashes: hashes, sealHasLaterRevisions: sealEnd.map { $0 < fileLength } ?? false,
                                      ordinal: signerOrdinals[position] ?? 0)
            checks.record = record.result
            checks.log = logResult(record.record, token: record.token, certificate: candidate.signerCertificate)
            var signatureReport = SignatureReport(
                field: candidate.field.name,
                signer: candidate.signerCertificate?.subject.commonName ?? candidate.signature.signerName,
                signerOrganization: candidate.signerCertificate?.subject.organization,
                signedAt: stamp.flatMap { $0.trusted ? $0.time : nil } ?? signingTime(of: candidate),
                subFilter: candidate.subFilter,
                role: role,
                checks: checks,
                counted: counted(for: role),
                required: required(for: role),
                certificateSerial: candidate.signerCertificate?.serialHex,
                token: record.token,
                byteRange: candidate.signature.byteRange)
            signatureReport.timestamp = stamp
            signatureReport.warnings = [timestampWarning(candidate, stamp),
                                        stamp?.problem.map { "the signature's timestamp is not trusted: \($0)" }].compactMap { $0 }
            reports.append(signatureReport)
        }
        return report(reports, sha256: Digest.hex(hashes.file), waiting: waiting)
    }

    /// The file's SHA-256; when revisions follow the seal, the SHA-256 of the
    /// bytes it signed up to; and when white-space follows the last `%%EOF`,
    /// the SHA-256 of the file ending at `%%EOF` and at each end-of-line after
    /// it (the file as published may have ended at any of them).
    struct FileHashes {
        var file: Data
        var upToSeal: Data?
        var withoutTrailingWhitespace: [(end: Int, sha256: Data)] = []
        /// The file up to where each earlier signature of the authority's ends.
        var prefixes: [Int: Data] = [:]
    }

    /// The trailing white-space rule (shared with the upload page): a file may
    /// end with up to `maxTrailingWhitespace` bytes of white-space after its
    /// last `%%EOF`, which no signature covers; the ends worth hashing are
    /// right after `%%EOF` and after one end-of-line marker (LF, CR or CR LF).
    static func endsBeforeTrailingWhitespace(document: PDFDocument, data: Data, fileLength: Int) -> [Int] {
        guard let eof = document.revisions.last?.eofOffset, eof < fileLength,
              fileLength - eof <= maxTrailingWhitespace else { return [] }
        return data.withUnsafeBytes { bytes -> [Int] in
            guard bytes[eof..<fileLength].allSatisfy({ [0x00, 0x09, 0x0A, 0x0C, 0x0D, 0x20].contains($0) }) else { return [] }
            var ends = [eof]
            if bytes[eof] == 0x0A { ends.append(eof + 1) }
            if bytes[eof] == 0x0D { ends.append(eof + 1) }
            if bytes[eof] == 0x0D, eof + 1 < fileLength, bytes[eof + 1] == 0x0A { ends.append(eof + 2) }
            return ends.filter { $0 < fileLength }
        }
    }

    private func role(of candidate: SignatureCandidate, at position: Int, sealIndex: Int?) -> SignatureReport.Role {
        if candidate.isTimestamp { return .timestamp }
        if position == sealIndex { return .seal }
        if candidate.issuedByTrustedCA { return .authority }
        return .foreign
    }

    /// Which checks decide the verdict for a signature in `role`: all of them
    /// for the authority's own signatures, integrity alone for anyone else's.
    func counted(for role: SignatureReport.Role) -> Set<CheckName> {
        switch role {
        case .seal, .authority: Set(CheckName.allCases)
        case .foreign, .timestamp: [.structure, .coverage, .digest, .signature]
        }
    }

    /// The counted checks that must not stay unknown: the record only where
    /// records were given; for a document timestamp, whose revision the
    /// coverage check already confines to timestamp data, its integrity only
    /// (tokens often leave the TSA's certificate to the DSS).
    func required(for role: SignatureReport.Role) -> Set<CheckName> {
        var names = counted(for: role)
        if trust.records == nil { names.remove(.record) }
        if trust.records == nil || trust.logVerifier == nil { names.remove(.log) }
        if role == .timestamp { names.remove(.signature) }
        return names
    }

    /// What to hash for a signature, or nil when its ranges or algorithm are unusable.
    private func digestRequest(for candidate: SignatureCandidate) -> RangeDigester.Request? {
        guard let ranges = candidate.ranges, let algorithm = rangeDigestAlgorithm(candidate) else { return nil }
        return RangeDigester.Request(ranges: ranges.signed, algorithm: algorithm)
    }

    /// The hash the signature commits to for its ranges: the timestamp token's
    /// imprint algorithm, SHA-1 for `adbe.pkcs7.sha1`, else the SignerInfo's.
    func rangeDigestAlgorithm(_ candidate: SignatureCandidate) -> DigestAlgorithm? {
        if candidate.isTimestamp { return candidate.timestampToken?.hashAlgorithm }
        if candidate.subFilter == "adbe.pkcs7.sha1" { return .sha1 }
        return candidate.cms?.digestAlgorithm
    }

    /// When the signature says it was made: a timestamp's genTime, else CMS signingTime, else `/M`.
    func signingTime(of candidate: SignatureCandidate) -> Date? {
        if candidate.isTimestamp { return candidate.timestampToken?.generationTime }
        if let time = candidate.cms?.signingTime { return time }
        return candidate.signature.signingTime.flatMap(PDFDate.date(from:))
    }

    private func fileProblem(_ verdict: Verdict, _ reason: String, sha256: String) -> VerificationReport {
        VerificationReport(file: name, verdict: verdict, summary: reason, sha256: sha256, token: nil, signatures: [])
    }
}
