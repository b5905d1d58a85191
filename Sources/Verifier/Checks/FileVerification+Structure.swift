import Foundation
import PDF

/// Check 1, structure: the file parses strictly in every revision (ISO
/// 32000-2 §7.5: every cross-reference section reached by `/Prev`, every
/// in-use entry pointing exactly at its `N G obj`, no repair), and the
/// signature dictionary is a well-formed, separate object reached from its field.
extension FileVerification {
    /// Largest number of cross-reference entries whose object headers are checked.
    static let maxCheckedEntries = 4_000_000

    /// Why the file as a whole is not well-formed, or nil. The strict reader
    /// has already read every section of the `/Prev` chain and found `%%EOF`
    /// after each; this checks what it reads lazily.
    func structureProblem(of document: PDFDocument) -> String? {
        var checked = 0
        // The entries in force so far, oldest revision first (built once, not per revision).
        var merged: [Int: XRefEntry] = [:]
        for revision in document.revisions {
            for (number, entry) in revision.entries { merged[number] = entry }
            for (number, entry) in revision.entries.sorted(by: { $0.key < $1.key }) {
                checked += 1
                guard checked <= FileVerification.maxCheckedEntries else {
                    return "the file has more cross-reference entries than the verifier checks"
                }
                switch entry {
                case .free:
                    continue
                case .inUse(let offset, let generation):
                    // An xref stream lists itself; its header is where the section starts.
                    let reference = ObjectRef(number: number, generation: generation)
                    guard document.objectHeaderMatches(reference, at: offset) else {
                        return "revision \(revision.index + 1) says object \(number) is at byte \(offset), but it is not there"
                    }
                case .compressed(let stream, _):
                    guard case .inUse? = merged[stream] else {
                        return "revision \(revision.index + 1) puts object \(number) in object stream \(stream), which does not exist"
                    }
                }
            }
        }
        guard document.catalog?.name("Type") == "Catalog" || document.catalog?["Pages"] != nil else {
            return "the document catalog is not a catalog"
        }
        return nil
    }

    func structureResult(_ candidate: SignatureCandidate, documentProblem: String?, revisions: Int) -> CheckResult {
        if let documentProblem { return .fail(documentProblem) }
        let signature = candidate.signature
        guard candidate.field.signatureRef != nil else {
            return .fail("the signature dictionary is written inside its field instead of being an object of its own")
        }
        if let type = signature.type, type != "Sig", type != "DocTimeStamp" {
            return .fail("the signature dictionary has /Type /\(type)")
        }
        guard let contents = signature.dictionary["Contents"] else {
            return .fail("the signature dictionary has no /Contents")
        }
        guard case .string = contents else {
            return .fail("/Contents is not a string written in the signature dictionary")
        }
        guard signature.contentsWasHex else {
            return .fail("/Contents is a literal string; a signature value must be a hexadecimal string")
        }
        guard let byteRange = signature.dictionary["ByteRange"] else {
            return .fail("the signature dictionary has no /ByteRange")
        }
        guard case .array = byteRange else {
            return .fail("/ByteRange is not an array written in the signature dictionary")
        }
        guard let subFilter = signature.subFilter else {
            return .fail("the signature dictionary has no /SubFilter")
        }
        let read = revisions == 1 ? "the file reads strictly" : "all \(revisions) revisions of the file read strictly"
        return .pass("\(read) and the signature dictionary (/\(subFilter)) is well-formed")
    }
}
