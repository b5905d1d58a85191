import Foundation
import PDF

/// libFuzzer's entry point: one input, any bytes. Everything the verifier does
/// with an untrusted file must return (a value or an error), never trap or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    FuzzHarness.run(data)
    return 0
}

enum FuzzHarness {
    static func run(_ data: Data) {
        for options in [ReadOptions.strict, ReadOptions.tolerant] {
            guard let document = try? PDFDocument(data: data, options: options) else { continue }
            _ = try? document.signatureFields
            _ = try? document.pages
            _ = try? document.docMDPPermission
        }
    }
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
