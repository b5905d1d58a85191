import Foundation

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
///
/// It is written last, after every file it lists is in place, so a crash
/// leaves the previous manifest describing files that are still correct or
/// were replaced whole.
struct Manifest: Sendable, Equatable {
    static let fileName = ".segel-manifest.json"
    static let format = "segel-manifest/1"

    var files: [String: String] = [:]
    var documents: [String: String] = [:]

    /// Reads the manifest of `site`; nil when there is none.
    static func read(site: URL) throws -> Manifest? {
        let url = site.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw PortalError(.io, "cannot read the manifest \(url.path)", path: fileName)
        }
        if let fast = parseOwnLayout(data) { return fast }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              object["format"] as? String == format,
              let files = object["files"] as? [String: String],
              let documents = object["documents"] as? [String: String] else {
            throw PortalError(.integrity,
                "the manifest \(url.path) is not a \(format) file; move it away to publish from scratch "
                + "(files it listed will then be kept, not deleted)", path: fileName)
        }
        return Manifest(files: files, documents: documents)
    }

    /// Reads the exact layout `encoded()` writes, line by line, which is much
    /// faster than a general JSON parser on ~90,000 entries; nil for anything
    /// else (an escaped character, an edited file), which the general parser
    /// then reads.
    static func parseOwnLayout(_ data: Data) -> Manifest? {
        let bytes = [UInt8](data)
        guard !bytes.contains(UInt8(ascii: "\\")) else { return nil }
        var manifest = Manifest()
        var section = 0
        var sawFormat = false
        var lineStart = 0
        for index in 0...bytes.count {
            guard index == bytes.count || bytes[index] == 0x0A else { continue }
            let line = bytes[lineStart..<index]
            lineStart = index + 1
            if line.isEmpty { continue }
            if line.elementsEqual(#"{"documents":{"#.utf8) { section = 1; continue }
            if line.elementsEqual(#""files":{"#.utf8) { section = 2; continue }
            if line.elementsEqual("},".utf8) { section = 0; continue }
            if line.elementsEqual(#""format":"\#(format)"}"#.utf8) { sawFormat = true; continue }
            // "key":"value" with an optional trailing comma.
            var body = line
            if body.last == UInt8(ascii: ",") { body = body.dropLast() }
            guard section != 0, body.count >= 5, body.first == 0x22, body.last == 0x22,
                  let separator = body.firstRange(of: [0x22, 0x3A, 0x22]) else { return nil }
            let key = String(decoding: body[body.startIndex + 1..<separator.lowerBound], as: UTF8.self)
            let value = String(decoding: body[separator.upperBound..<body.endIndex - 1], as: UTF8.self)
            if section == 1 { manifest.documents[key] = value } else { manifest.files[key] = value }
        }
        return sawFormat ? manifest : nil
    }

    /// The manifest's bytes: sorted keys, one entry per line, so it diffs well.
    /// Written by hand because it is the largest JSON of the site (one line per
    /// file) and is rewritten on every publish.
    func encoded() -> Data {
        var out = "{\"documents\":{"
        Self.appendEntries(documents, to: &out)
        out += "},\n\"files\":{"
        Self.appendEntries(files, to: &out)
        out += "},\n\"format\":\"\(Self.format)\"}\n"
        return Data(out.utf8)
    }

    private static func appendEntries(_ entries: [String: String], to out: inout String) {
        var first = true
        for key in entries.keys.sorted() {
            out += first ? "\n" : ",\n"
            first = false
            out += quoted(key) + ":" + quoted(entries[key]!)
        }
        if !entries.isEmpty { out += "\n" }
    }

    /// A JSON string literal (RFC 8259 §7): quote, backslash and control characters escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
