import COpenSSL

/// The thread-local libcrypto error queue.
enum OpenSSLErrorQueue {
    struct Entry {
        let code: UInt
        let text: String
        /// The reason part of the packed code (ERR_GET_REASON).
        var reason: Int32 { ERR_GET_REASON(code) }
    }

    /// Removes every queued error and returns them as readable strings, oldest first.
    static func drain() -> [String] {
        drainEntries().map(\.text)
    }

    /// Removes every queued error and returns codes and strings, oldest first.
    static func drainEntries() -> [Entry] {
        var entries: [Entry] = []
        while true {
            var data: UnsafePointer<CChar>?
            var flags: Int32 = 0
            let code = ERR_get_error_all(nil, nil, nil, &data, &flags)
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            var text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if let data, (flags & ERR_TXT_STRING) != 0 {
                let extra = String(cString: data)
                if !extra.isEmpty { text += " (\(extra))" }
            }
            entries.append(Entry(code: code, text: text))
        }
        return entries
    }

    /// Discards stale errors so the next failure reports only its own causes.
    static func clear() {
        ERR_clear_error()
    }
}
