import Foundation
import PKI

/// Renders token pages fast from skeletons: a site has thousands of them and
/// they differ only in their data. For each *shape* of data (which optional
/// values are present, which status flags are set) the token template is
/// rendered once through Mustache with a numbered placeholder in place of
/// every document value; each page is then that skeleton with the document's
/// values put in, escaped exactly where Mustache escaped the placeholder.
///
/// A placeholder is `U+E000 n & U+E001`: its `&` comes out as `&amp;` where
/// the template escapes (`{{ }}`) and stays `&` where it does not (`{{{ }}}`),
/// so the skeleton records which is which. The first page of each shape is
/// also rendered directly and compared byte for byte; if they differ, that
/// shape is always rendered directly. Used only with the default page
/// templates, whose use of values is known (no transforms, no lambdas).
final class TokenPageSkeletons: @unchecked Sendable {
    private enum Segment {
        case text([UInt8])
        case value(Int, escaped: Bool)
    }

    private struct Skeleton {
        let segments: [Segment]

        func fill(_ values: [String]) -> Data {
            var out: [UInt8] = []
            out.reserveCapacity(16_384)
            for segment in segments {
                switch segment {
                case .text(let bytes): out.append(contentsOf: bytes)
                case .value(let index, let escaped):
                    out.append(contentsOf: (escaped ? HTMLText.escape(values[index]) : values[index]).utf8)
                }
            }
            return Data(out)
        }
    }

    private let renderer: PageRenderer
    /// Shape → skeleton; nil when the shape must be rendered directly.
    private var skeletons: [String: Skeleton?] = [:]
    private let lock = NSLock()

    init(renderer: PageRenderer) {
        self.renderer = renderer
    }

    func page(_ document: SiteDocument, certificate: Certificate) throws -> Data {
        let context = try renderer.tokenContext(document, certificate: certificate)
        var values: [String] = []
        var shape = ""
        let placeholders = Self.substitute(context, values: &values, shape: &shape)
        let path = "v/\(document.token)/index.html"
        let known: Skeleton?? = lock.withLock { skeletons[shape] }
        if let known {
            guard let skeleton = known else { return try renderer.render("token", context, path: path) }
            return skeleton.fill(values)
        }
        let direct = try renderer.render("token", context, path: path)
        var built = Self.parse(try renderer.render("token", placeholders, path: path))
        if let candidate = built, candidate.fill(values) != direct { built = nil }
        lock.withLock { skeletons[shape] = .some(built) }
        return direct
    }

    /// The context with every document-specific text replaced by a
    /// placeholder; `values` receives the texts, `shape` what stays structural.
    private static func substitute(_ context: [String: Any], values: inout [String], shape: inout String) -> [String: Any] {
        var result = context
        func placeholder(_ text: String) -> String {
            values.append(text)
            return "\u{E000}\(values.count - 1)&\u{E001}"
        }
        for key in ["as_of", "as_of_iso"] {
            if let text = context[key] as? String { result[key] = placeholder(text) }
        }
        for key in ["doc", "cert"] {
            guard let object = context[key] as? [String: Any] else {
                shape += "\(key):-;"
                continue
            }
            var replaced = object
            for field in object.keys.sorted() {
                switch object[field] {
                case let text as String:
                    replaced[field] = placeholder(text)
                    shape += "\(key).\(field);"
                case let flag as Bool:
                    shape += "\(key).\(field)=\(flag);"
                default:
                    shape += "\(key).\(field)?;"
                }
            }
            result[key] = replaced
        }
        return result
    }

    /// Splits a rendered skeleton at its placeholders; nil if one is malformed.
    private static func parse(_ data: Data) -> Skeleton? {
        let bytes = [UInt8](data)
        let open: [UInt8] = [0xEE, 0x80, 0x80], close: [UInt8] = [0xEE, 0x80, 0x81]
        let raw = Array("&".utf8) + close, escaped = Array("&amp;".utf8) + close
        var segments: [Segment] = []
        var text: [UInt8] = []
        var index = 0
        func matches(_ pattern: [UInt8], at position: Int) -> Bool {
            position + pattern.count <= bytes.count && Array(bytes[position..<position + pattern.count]) == pattern
        }
        while index < bytes.count {
            if bytes[index] == 0xEE, matches(open, at: index) {
                var cursor = index + open.count, number = 0, digits = 0
                while cursor < bytes.count, bytes[cursor] >= 0x30, bytes[cursor] <= 0x39, digits < 9 {
                    number = number * 10 + Int(bytes[cursor] - 0x30)
                    cursor += 1
                    digits += 1
                }
                guard digits > 0 else { return nil }
                let isEscaped: Bool
                if matches(escaped, at: cursor) {
                    isEscaped = true
                    cursor += escaped.count
                } else if matches(raw, at: cursor) {
                    isEscaped = false
                    cursor += raw.count
                } else {
                    return nil
                }
                if !text.isEmpty { segments.append(.text(text)) }
                text = []
                segments.append(.value(number, escaped: isEscaped))
                index = cursor
            } else {
                if bytes[index] == 0xEE, matches(close, at: index) { return nil }
                text.append(bytes[index])
                index += 1
            }
        }
        if !text.isEmpty { segments.append(.text(text)) }
        return Skeleton(segments: segments)
    }
}
