import Foundation
import PKI
import Registry
import Verifier

/// `segel verify FILE...`: the standalone verifier's checks, with the
/// authority's own trust instead of a published copy — its CA, the
/// revocations and the records in its registry, always current — and every
/// result written to the verification log.
extension Authority {
    /// A verifier that trusts this authority's CA and reads revocations and
    /// records from the registry.
    public func verifier(now: Date = Date()) throws -> Verifier {
        var revoked: [String: RevocationEntry] = [:]
        for entry in try registry.revokedCertificates() {
            revoked[entry.serialHex] = RevocationEntry(date: entry.revokedAt, reason: entry.reason)
        }
        let cas = try caCertificates().map(\.certificate)
        var trust = TrustContext(mode: .registry, ca: cas[0], authorityName: settings.name,
                                 siteURL: settings.baseURL, revocation: .registry(revoked: revoked, asOf: now),
                                 records: RegistryRecordSource(registry: registry))
        trust.successorCAs = Array(cas.dropFirst())
        trust.timestampRoots = timestampingRoots()
        return Verifier(trust: trust, now: now)
    }

    /// Writes one result to the verification log (method `upload`) and, for a
    /// VALID result, marks the document's signature verified.
    @discardableResult
    public func logVerification(_ report: VerificationReport) throws -> VerificationLogEntry {
        let status: VerificationResultStatus = switch report.verdict {
        case .valid: .success
        case .invalid: report.signatures.isEmpty ? .notFound : .invalid
        case .indeterminate: .failed
        }
        let entry = try registry.logVerification(VerificationInput(
            method: .upload, token: report.token, fileSHA256: report.sha256, isValid: report.verdict == .valid,
            resultStatus: status, verdict: VerificationVerdict(rawValue: report.verdict.rawValue),
            metadata: ["file": (report.file as NSString).lastPathComponent, "summary": report.summary]))
        if report.verdict == .valid, let token = report.token {
            try registry.markVerified(token: token)
        }
        return entry
    }
}

/// The records the portal would publish, read from the registry when asked.
struct RegistryRecordSource: RecordSource {
    let registry: Registry

    func record(at address: DocumentAddress) -> RecordLookup {
        let published: PublishedDocument
        do {
            published = try registry.publishedDocument(token: address.token)
        } catch let error as RegistryError where error.code == .notFound {
            return .missing(error.message)
        } catch {
            return .unreadable("the registry cannot be read: \(error)")
        }
        // The record the portal publishes, built by the same constructor from
        // what the registry stored when the certificate was made.
        let key = published.key
        guard let summary = key.certificateSummary ?? (try? Certificate(pem: key.certificate)).map(Authority.summary(of:)),
              let record = PublishedRecord(published, certificate: .init(
                  serial: key.serialHex.lowercased(), fingerprintSHA256: summary.fingerprintSHA256,
                  notBefore: ISOTime.string(from: key.validFrom), notAfter: ISOTime.string(from: key.validUntil),
                  issuer: summary.issuer, subject: summary.subject)) else {
            return .unreadable("the registry's record of this document is incomplete")
        }
        return .found(record)
    }
}
