import COpenSSL
import Foundation

extension PDFError {
    /// An error for a failed libcrypto call, with OpenSSL's own reasons appended. Reading
    /// them empties this thread's OpenSSL error queue, so a later call does not report
    /// stale failures.
    static func openSSL(_ message: String, code: Code = .encryption, object: Int? = nil) -> PDFError {
        var reasons: [String] = []
        while true {
            let error = ERR_get_error()
            if error == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            buffer.withUnsafeMutableBufferPointer { pointer in
                ERR_error_string_n(error, pointer.baseAddress, pointer.count)
            }
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        let detail = reasons.isEmpty ? "" : " (OpenSSL: \(reasons.joined(separator: "; ")))"
        return PDFError(code, message + detail, object: object)
    }
}
