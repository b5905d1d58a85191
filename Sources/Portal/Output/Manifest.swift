import Foundation
import Record

/// `.segel-manifest.json` in the site folder: what the last publish wrote.
///
/// - `files`: every file of the site (relative path → SHA-256 of its bytes).
///   A file whose new hash equals the recorded one is not written again; a
///   recorded file that this run does not produce is deleted; a file the
///   manifest does not list is never touched.
/// - `documents`: for each token, a fingerprint of every input of that
///   document's files (records, templates, locale, options). When it is
///   unchanged, its page, JSON, certificates and PDF are known to be unchanged
///   and are not even rendered.
/// - `changes`: for each token, a hash of what decides whether the document
///   must be read from the registry at all (`DocumentFingerprint.changeKey`:
///   its change stamp, its issuance log places, the site-wide inputs). When
///   it is unchanged, the document is not read, and its fingerprint and files
///   are the ones above. A manifest without it (written before 0.8) makes the
///   next publish read every document.
///
/// It is written last, after every file it lists is in place, so a crash
/// leaves the previous manifest describing files that are still correct or
/// were replaced whole.
struct Manifest: Sendable, Equatable {
    static let fileName = ".segel-manifest.json"
    static let format = "segel-manifest/1"

    var files: [String: String] = [:]
    var documents: [String: String] = [:]
    var changes: [String: String] = [:]
    /// The paths of `files` in the order the bytes listed them, when that
    /// order is sorted (as `encode` writes it): the next manifest is then
    /// made in that order rather than sorted again. Not part of equality.
    var sortedPaths: [String]?

    init(files: [String: String] = [:], documents: [String: String] = [:], changes: [String: String] = [:]) {
        self.files = files
        self.documents = documents
        self.changes = changes
    }

    static func == (lhs: Manifest, rhs: Manifest) -> Bool {
        lhs.files == rhs.files && lhs.documents == rhs.documents && lhs.changes == rhs.changes
    }

    /// Reads the manifest of `site`; nil when there is none.
    static func read(site: URL) throws -> Manifest? {
        try readWithBytes(site: site)?.manifest
    }

    /// The manifest of `site` and its bytes as they are on disk (what a copy
    /// to a bucket uploads); nil when there is none.
    static func readWithBytes(site: URL) throws -> (manifest: Manifest, bytes: Data)? {
        let url = site.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw PortalError(.io, "cannot read the manifest \(url.path)", path: fileName)
        }
        guard let manifest = parse(data) else {
            throw PortalError(.integrity,
                "the manifest \(url.path) is not a \(format) file; move it away to publish from scratch "
                + "(files it listed will then be kept, not deleted)", path: fileName)
        }
        return (manifest, data)
    }

    /// The `format` a manifest-like JSON object names (e.g. a newer
    /// `segel-manifest/2`), for saying why `parse` refused it; nil when it names none.
    static func declaredFormat(_ data: Data) -> String? {
        (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["format"] as? String
    }

    /// A manifest from its bytes (a site's, or a bucket's copy); nil for anything else.
    static func parse(_ data: Data) -> Manifest? {
        if let fast = parseOwnLayout(data) { return fast }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              object["format"] as? String == format,
              let files = object["files"] as? [String: String],
              let documents = object["documents"] as? [String: String] else { return nil }
        let changes = object["changes"] as? [String: String] ?? [:]
        return Manifest(files: files, documents: documents, changes: changes)
    }

    /// Reads the exact layout `encoded()` writes, line by line, which is much
    /// faster than a general JSON parser on ~90,000 entries; nil for anything
    /// else (an escaped character, an edited file), which the general parser
    /// then reads.
    static func parseOwnLayout(_ data: Data) -> Manifest? {
        data.withUnsafeBytes { raw -> Manifest? in
            let bytes = raw.bindMemory(to: UInt8.self)
            let quote = UInt8(ascii: "\""), colon = UInt8(ascii: ":"), comma = UInt8(ascii: ",")
            let newline = UInt8(ascii: "\n"), backslash = UInt8(ascii: "\\")
            let changesHeader = Array(#"{"changes":{"#.utf8)
            let documentsHeader = Array(#"{"documents":{"#.utf8), documentsAfterChanges = Array(#""documents":{"#.utf8)
            let filesHeader = Array(#""files":{"#.utf8)
            let closing = Array("},".utf8), footer = Array(#""format":"\#(format)"}"#.utf8)
            var manifest = Manifest()
            manifest.files.reserveCapacity(100_000)
            var paths: [String] = []
            paths.reserveCapacity(100_000)
            var pathsSorted = true
            var section = 0, sawFormat = false
            var start = 0
            func equals(_ pattern: [UInt8], _ from: Int, _ to: Int) -> Bool {
                guard to - from == pattern.count else { return false }
                for offset in 0..<pattern.count where bytes[from + offset] != pattern[offset] { return false }
                return true
            }
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != newline { end += 1 }
                defer { start = end + 1 }
                if end == start { continue }
                if equals(changesHeader, start, end) { section = 3; continue }
                if equals(documentsHeader, start, end) || equals(documentsAfterChanges, start, end) { section = 1; continue }
                if equals(filesHeader, start, end) { section = 2; continue }
                if equals(closing, start, end) { section = 0; continue }
                if equals(footer, start, end) { sawFormat = true; continue }
                // "key":"value" with an optional trailing comma, no escapes.
                var last = end
                if bytes[last - 1] == comma { last -= 1 }
                guard section != 0, last - start >= 5, bytes[start] == quote, bytes[last - 1] == quote else { return nil }
                var split = start + 1
                while split < last - 2, !(bytes[split] == quote && bytes[split + 1] == colon && bytes[split + 2] == quote) {
                    if bytes[split] == backslash { return nil }
                    split += 1
                }
                guard split < last - 2 else { return nil }
                for index in (split + 3)..<(last - 1) where bytes[index] == backslash || bytes[index] == quote { return nil }
                let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[(start + 1)..<split]), as: UTF8.self)
                let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[(split + 3)..<(last - 1)]), as: UTF8.self)
                switch section {
                case 1: manifest.documents[key] = value
                case 3: manifest.changes[key] = value
                default:
                    manifest.files[key] = value
                    if pathsSorted, let last = paths.last, !(last < key) { pathsSorted = false }
                    paths.append(key)
                }
            }
            // Strictly increasing, so no path was listed twice.
            if pathsSorted { manifest.sortedPaths = paths }
            return sawFormat ? manifest : nil
        }
    }

    /// The manifest's bytes: sorted keys, one entry per line, so it diffs well.
    /// Written by hand because it is the largest JSON of the site (one line per
    /// file) and is rewritten on every publish that changes anything.
    func encoded() -> Data {
        Self.encode(files: files.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, documents: documents,
                    changes: changes)
    }

    /// The bytes of a manifest whose files, already sorted by path, are `files`.
    static func encode(files: [(String, String)], documents: [String: String], changes: [String: String]) -> Data {
        assemble(files: section(files), documents: section(documents), changes: section(changes))
    }

    /// A manifest from its sections' bytes (`section`), which can be made on
    /// separate cores. An empty `changes` section (no documents) is left out.
    static func assemble(files: [UInt8], documents: [UInt8], changes: [UInt8]) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(files.count + documents.count + changes.count + 100)
        if !changes.isEmpty {
            out.append(contentsOf: #"{"changes":{"#.utf8)
            out.append(contentsOf: changes)
            out.append(contentsOf: "},\n\"documents\":{".utf8)
        } else {
            out.append(contentsOf: #"{"documents":{"#.utf8)
        }
        out.append(contentsOf: documents)
        out.append(contentsOf: "},\n\"files\":{".utf8)
        out.append(contentsOf: files)
        out.append(contentsOf: "},\n\"format\":\"\(format)\"}\n".utf8)
        return Data(out)
    }

    /// The entries of one section, sorted by key, as the manifest lists them.
    static func section(_ entries: [String: String]) -> [UInt8] {
        section(entries.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// The entries of one section, already sorted by key, as the manifest
    /// lists them: one `"key":"value"` per line.
    static func section(_ entries: [(String, String)]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(entries.count * 100)
        var first = true
        for (key, value) in entries {
            out.append(contentsOf: first ? [0x0A] : [UInt8(ascii: ","), 0x0A])
            first = false
            appendQuoted(key, to: &out)
            out.append(UInt8(ascii: ":"))
            appendQuoted(value, to: &out)
        }
        if !entries.isEmpty { out.append(0x0A) }
        return out
    }

    private static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        var text = text
        let plain = text.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C }) else { return false }
            out.append(0x22)
            out.append(contentsOf: bytes)
            out.append(0x22)
            return true
        }
        if !plain { out.append(contentsOf: JSONString.literal(text).utf8) }
    }
}
