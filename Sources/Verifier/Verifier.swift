import Foundation

/// The offline verifier (DESIGN.md "The verifier"): checks every signature
/// of a PDF against what an authority published — its CA, its CRL and its
/// per-document records — and fails closed.
///
/// A value: one verifier can check many files from many threads at once
/// (`segel-verify --jobs`). A bad or hostile file is never an error; it yields
/// a report whose verdict says what is wrong. Only I/O problems throw.
public struct Verifier: Sendable {
    public let trust: TrustContext
    /// The time revocation data is judged against (a CRL past nextUpdate is stale).
    public let now: Date

    public init(trust: TrustContext, now: Date = Date()) {
        self.trust = trust
        self.now = now
    }

    /// Verifies a file on disk. The file is memory-mapped for parsing and
    /// hashed with `pread`, so a large file costs little resident memory.
    /// `name` is how the report names it (default: the path as given).
    public func verify(fileAt url: URL, name: String? = nil) throws -> VerificationReport {
        let file = try MappedFile(url: url)
        return try FileVerification(name: name ?? url.path, data: file.data, source: file, trust: trust, now: now).run()
    }

    /// Verifies bytes in memory (tests, fuzzing, uploads).
    public func verify(data: Data, name: String) -> VerificationReport {
        let data = data.startIndex == 0 ? data : Data(data)
        do {
            return try FileVerification(name: name, data: data, source: DataByteSource(data: data), trust: trust,
                                        now: now).run()
        } catch {
            // Reading memory cannot fail; a report rather than a trap if it ever did.
            return VerificationReport(file: name, verdict: .invalid, summary: "the file could not be read: \(error)",
                                      sha256: nil, token: nil, signatures: [])
        }
    }
}
