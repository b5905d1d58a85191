import Foundation
import PDF
import PKI
import Verifier

/// libFuzzer's entry point: one input, any bytes. Everything the verifier does
/// with an untrusted file must return (a value or an error), never trap or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    FuzzHarness.run(data)
    return 0
}

enum FuzzHarness {
    /// The trusted CA: `$SEGEL_FUZZ_CA` (scripts/fuzz points it at the CA that
    /// signed the segel seeds, so mutations reach the chain and record checks),
    /// else a throwaway one.
    static let verifier: Verifier = {
        let certificate: Certificate
        if let path = ProcessInfo.processInfo.environment["SEGEL_FUZZ_CA"],
           let pem = try? String(contentsOfFile: path, encoding: .utf8), let loaded = try? Certificate(pem: pem) {
            certificate = loaded
        } else {
            let subject = DistinguishedNameFields(commonName: "Fuzz CA", organization: "segel fuzz")
            certificate = try! CertificateAuthority.create(subject: subject, keyType: .p256).certificate
        }
        let trust = TrustContext(mode: .site, ca: certificate, authorityName: "segel fuzz",
                                 siteURL: "https://verify.example.ac.id",
                                 revocation: .registry(revoked: [:], asOf: Date()), records: NoRecords())
        return Verifier(trust: trust)
    }()

    static func run(_ data: Data) {
        for options in [ReadOptions.strict, ReadOptions.tolerant] {
            guard let document = try? PDFDocument(data: data, options: options) else { continue }
            _ = try? document.signatureFields
            _ = try? document.pages
            _ = try? document.docMDPPermission
            if let last = document.revisions.indices.last {
                _ = try? document.referencedObjectNumbers(asOfRevision: last)
            }
        }
        let report = verifier.verify(data: data, name: "input.pdf")
        _ = report.jsonLine()
        _ = report.humanText()
    }
}

/// Every token's record is missing (the record check then stays unknown).
struct NoRecords: RecordSource {
    func record(forToken token: String) -> RecordLookup { .missing("no records while fuzzing") }
}

/// libFuzzer's driver (compiler-rt, LLVM ≥ 11).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// SwiftPM links an executable target's entry point under `<module>_main`;
/// with `-parse-as-library` there is none, so this one hands over to libFuzzer.
@_cdecl("FuzzVerifier_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzOneInput)
}
