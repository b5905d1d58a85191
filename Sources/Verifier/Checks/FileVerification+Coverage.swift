import Foundation
import PDF

/// Check 2, coverage (ISO 32000-2 §12.8.1): the ByteRange is exactly
/// `[0 a b c]`; the unsigned gap `a..<b` is exactly this dictionary's hex
/// `/Contents` token, delimiters included; signatures do not overlap; each
/// signature ends where a revision ends; and the seal covers the file to its
/// end, except for later revisions that only add DSS or document timestamps.
extension FileVerification {
    /// Unsigned white-space tolerated after the last `%%EOF` (end-of-line variants, editor padding).
    static let maxTrailingWhitespace = 32

    func coverageResults(_ candidates: [SignatureCandidate], sealIndex: Int?,
                         document: PDFDocument) -> [CheckResult] {
        var results = candidates.map(gapResult)
        let revisions = document.revisions

        // Pairwise: gaps disjoint, each later dictionary after the bytes the earlier one signed.
        for i in candidates.indices {
            for j in candidates.indices where j > i {
                guard let first = candidates[i].ranges, let second = candidates[j].ranges else { continue }
                let names = (candidates[i].field.name, candidates[j].field.name)
                if first.gap.overlaps(second.gap) {
                    let reason = "its /Contents overlaps that of another signature (\(names.0) and \(names.1) share bytes)"
                    results[i] = .fail(reason)
                    results[j] = .fail(reason)
                } else if first.end == second.end {
                    let reason = "two signatures (\(names.0) and \(names.1)) claim to sign exactly the same bytes"
                    results[i] = .fail(reason)
                    results[j] = .fail(reason)
                } else if second.gap.lowerBound < first.end {
                    results[j] = .fail("its /Contents lies inside the bytes that the earlier signature \(names.0) signed")
                }
            }
        }

        for (position, candidate) in candidates.enumerated() where results[position].passed {
            guard let ranges = candidate.ranges else { continue }
            let isSeal = position == sealIndex
            if ranges.end == fileLength {
                results[position] = .pass(isSeal || position == candidates.count - 1
                    ? "signs the whole file (\(fileLength) bytes) except its own signature value"
                    : "signs bytes 0–\(ranges.end) except its own signature value")
                continue
            }
            guard let revision = revisionEnding(at: ranges.end, in: revisions) else {
                results[position] = .fail("signs up to byte \(ranges.end), which is not the end of a revision of the file")
                continue
            }
            if isSeal {
                results[position] = sealTailResult(document: document, sealRevision: revision, sealEnd: ranges.end)
            } else if position > (sealIndex ?? Int.max) {
                results[position] = .pass("signs revision \(revision + 1) of \(revisions.count) (bytes 0–\(ranges.end) except its own signature value)")
            } else if candidate.issuedByTrustedCA, !candidate.isTimestamp,
                      let next = candidates[(position + 1)...].first(where: { !$0.isTimestamp }) {
                // One of the authority's signers, followed by the next: only signing may happen in between.
                guard let nextEnd = next.ranges?.end, let nextRevision = revisionEnding(at: nextEnd, in: revisions) else {
                    results[position] = .fail("the signature after it does not end where a revision of the file ends, so what changed in between cannot be checked")
                    continue
                }
                results[position] = signedRevisionsResult(document: document, signedRevision: revision,
                                                          signedEnd: ranges.end, nextRevision: nextRevision,
                                                          next: next.field)
            } else {
                results[position] = .pass("signs revision \(revision + 1) of \(revisions.count) (bytes 0–\(ranges.end)); the later revisions are covered by the signature that follows")
            }
        }
        return results
    }

    /// The gap of the ByteRange against the `/Contents` token's position in the file.
    private func gapResult(_ candidate: SignatureCandidate) -> CheckResult {
        guard let ranges = candidate.ranges else {
            return .fail(candidate.rangeProblem ?? "the ByteRange is unusable")
        }
        guard let contents = candidate.signature.contentsRange else {
            return .fail("this signature's /Contents cannot be located in the file (the dictionary is not stored as a plain object)")
        }
        guard contents == ranges.gap else {
            return .fail("the unsigned gap of the ByteRange (bytes \(ranges.a)–\(ranges.b)) is not exactly this signature's /Contents (bytes \(contents.lowerBound)–\(contents.upperBound))")
        }
        guard candidate.signature.contentsWasHex else {
            return .fail("/Contents is a literal string, not a hexadecimal one")
        }
        return .pass("the gap is exactly this signature's /Contents")
    }

    /// The index of the revision whose `%%EOF` ends at `offset` (allowing the
    /// end-of-line and a little white-space after the marker).
    func revisionEnding(at offset: Int, in revisions: [Revision]) -> Int? {
        for revision in revisions.reversed() {
            guard let eof = revision.eofOffset, eof <= offset,
                  offset - eof <= FileVerification.maxTrailingWhitespace,
                  isWhitespace(eof..<offset) else { continue }
            return revision.index
        }
        return nil
    }

    /// The seal does not reach the end of the file: what follows must be
    /// complete revisions that only add DSS or document timestamps, and at most
    /// a little white-space after the last `%%EOF`.
    private func sealTailResult(document: PDFDocument, sealRevision: Int, sealEnd: Int) -> CheckResult {
        let revisions = document.revisions
        let later = revisions.filter { $0.index > sealRevision }
        guard revisions.filter({ $0.index <= sealRevision }).allSatisfy({ $0.startxref < sealEnd }),
              later.allSatisfy({ $0.startxref >= sealEnd }) else {
            return .fail("the file's revisions are out of order around the signature, so bytes after it may change what it signed")
        }
        let unsigned = fileLength - sealEnd
        guard let newest = revisions.last, let eof = newest.eofOffset else {
            return .fail("\(unsigned) bytes after the signature are not signed")
        }
        let trailing = fileLength - eof
        if trailing > FileVerification.maxTrailingWhitespace || !isWhitespace(eof..<fileLength) {
            return .fail("\(fileLength - max(eof, sealEnd)) bytes were appended after the end of the last revision and are not signed")
        }
        if later.isEmpty {
            return .pass("signs the whole file except its own signature value and \(unsigned == 1 ? "1 byte" : "\(unsigned) bytes") of white-space at the end, which no signature covers")
        }
        return laterRevisionsResult(document: document, sealRevision: sealRevision, sealEnd: sealEnd)
    }

    /// True when every byte of `range` is PDF white-space (ISO 32000-2 §7.2.3 Table 1).
    func isWhitespace(_ range: Range<Int>) -> Bool {
        guard !range.isEmpty else { return true }
        let range = range.clamped(to: 0..<data.count)
        return data.withUnsafeBytes { buffer in
            buffer[range].allSatisfy { [0x00, 0x09, 0x0A, 0x0C, 0x0D, 0x20].contains($0) }
        }
    }
}
