import Foundation

extension Lexer {
    /// First offset of `word` in `bytes` at or after `from` (and before `to`), or `nil`.
    static func find(_ word: StaticString, in bytes: UnsafeRawBufferPointer, from: Int, to: Int? = nil) -> Int? {
        let length = word.utf8CodeUnitCount
        let limit = min(to ?? bytes.count, bytes.count) - length
        guard length > 0, from <= limit, let base = bytes.baseAddress else { return nil }
        let first = word.utf8Start[0]
        var index = max(0, from)
        while index <= limit {
            guard let hit = memchr(base + index, Int32(first), limit - index + 1) else { return nil }
            let offset = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(base + offset, word.utf8Start, length) == 0 { return offset }
            index = offset + 1
        }
        return nil
    }

    /// Last offset of `word` in `bytes` that starts before `before` (and at or after `from`), or `nil`.
    static func findLast(_ word: StaticString, in bytes: UnsafeRawBufferPointer, before: Int, from: Int = 0) -> Int? {
        let length = word.utf8CodeUnitCount
        guard let base = bytes.baseAddress else { return nil }
        var index = min(before, bytes.count - length)
        while index >= max(0, from) {
            if memcmp(base + index, word.utf8Start, length) == 0 { return index }
            index -= 1
        }
        return nil
    }
}
