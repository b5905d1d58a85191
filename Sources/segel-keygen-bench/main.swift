// Benchmark helper for scripts/bench-batch. Not installed; not part of the CLI contract.
//
//   segel-keygen-bench COUNT JOBS rsa2048|rsa3072|p256[-evp]
//       generates COUNT per-document keys with exactly the code segel signs with
//       (PKI.PrivateKey.generate) on JOBS threads and prints the wall time in
//       seconds; `-evp` uses libcrypto's EVP_PKEY_generate instead of the
//       default generator (BoringSSL for RSA), to show the choice.
//   segel-keygen-bench unlock
//       prints the seconds one unlock of an encrypted PKCS#8 key takes at the
//       default PBKDF2-HMAC-SHA256 iteration count, and that count.
import Dispatch
import Foundation
import PKI

let arguments = CommandLine.arguments
func seconds(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
}

if arguments.count == 2, arguments[1] == "unlock" {
    let key = try PrivateKey.generate(.p256)
    let pem = try key.encryptedPKCS8PEM(passphrase: "benchmark passphrase")
    let start = DispatchTime.now()
    _ = try PrivateKey(encryptedPKCS8PEM: pem, passphrase: "benchmark passphrase")
    print(String(format: "%.3f %d", seconds(since: start), PrivateKey.defaultPBKDF2Iterations))
    exit(0)
}

let evp = arguments.count == 4 && arguments[3].hasSuffix("-evp")
guard arguments.count == 4, let count = Int(arguments[1]), let jobs = Int(arguments[2]),
      let type = KeyType(rawValue: evp ? String(arguments[3].dropLast(4)) : arguments[3]) else {
    FileHandle.standardError.write(Data("usage: segel-keygen-bench COUNT JOBS rsa2048|rsa3072|p256[-evp] | unlock\n".utf8))
    exit(3)
}
let lock = NSLock()
nonisolated(unsafe) var next = 0
let start = DispatchTime.now()
DispatchQueue.concurrentPerform(iterations: jobs) { _ in
    while true {
        lock.lock()
        let index = next
        next += 1
        lock.unlock()
        if index >= count { return }
        _ = evp ? try! PrivateKey.generate(type, with: .openSSL) : try! PrivateKey.generate(type)
    }
}
print(String(format: "%.3f", seconds(since: start)))
