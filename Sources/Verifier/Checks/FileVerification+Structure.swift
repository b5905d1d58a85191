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
        for revision in document.revisions {
            // The lowest object number at fault is reported; entries are not
            // sorted (or merged into a copy) first, so a table of millions costs no more.
            var problem: (number: Int, reason: String)?
            func report(_ number: Int, _ reason: @autoclosure () -> String) {
                if problem.map({ number < $0.number }) ?? true { problem = (number, reason()) }
            }
            for (number, entry) in revision.entries {
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
                    if !document.objectHeaderMatches(reference, at: offset) {
                        report(number, "revision \(revision.index + 1) says object \(number) is at byte \(offset), but it is not there")
                    }
                case .compressed(let stream, _):
                    guard case .inUse? = document.entry(stream, asOfRevision: revision.index) else {
                        report(number, "revision \(revision.index + 1) puts object \(number) in object stream \(stream), which does not exist")
                        continue
                    }
                }
            }
            if let problem { return problem.reason }
        }
        // Class 1 of the ambiguity rules: an appended revision may not carry
        // object definitions its cross-reference section does not list.
        for revision in document.revisions.dropFirst() {
            do {
                if let unlisted = try document.unlistedObject(inRevision: revision.index) {
                    return "revision \(revision.index + 1) defines object \(unlisted.number) at byte \(unlisted.offset) without listing it in its cross-reference section, so readers that scan the file see different content (ambiguous cross-reference data)"
                }
            } catch let error as PDFError {
                return "revision \(revision.index + 1) cannot be read strictly (\(error.description))"
            } catch {
                return "revision \(revision.index + 1) cannot be read strictly"
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
