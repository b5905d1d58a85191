// Benchmark helper for scripts/bench-batch: generates N per-document keys with
// exactly the code segel signs with (PKI.PrivateKey.generate) on J threads and
// prints the wall time in seconds. `rsa2048-evp` times OpenSSL's own
// EVP_PKEY_generate instead (a reference figure). Not installed; not part of
// the CLI contract.
import Dispatch
import Foundation
import PKI

let arguments = CommandLine.arguments
let evp = arguments.count == 4 && arguments[3].hasSuffix("-evp")
guard arguments.count == 4, let count = Int(arguments[1]), let jobs = Int(arguments[2]),
      let type = KeyType(rawValue: evp ? String(arguments[3].dropLast(4)) : arguments[3]) else {
    FileHandle.standardError.write(Data("usage: segel-keygen-bench COUNT JOBS rsa2048|rsa3072|p256|rsa2048-evp\n".utf8))
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
        _ = evp ? try! PrivateKey.generateWithOpenSSL(type) : try! PrivateKey.generate(type)
    }
}
let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
print(String(format: "%.3f", seconds))
