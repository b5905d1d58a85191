import Foundation
import Record
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
        /// Bytes of text between the values.
        let textLength: Int

        init(segments: [Segment]) {
            self.segments = segments
            textLength = segments.reduce(0) { total, segment in
                if case .text(let bytes) = segment { return total + bytes.count }
                return total
            }
        }

        func fill(_ values: [String]) -> Data {
            var out: [UInt8] = []
            out.reserveCapacity(textLength + values.reduce(0) { $0 + $1.utf8.count } + 512)
            for segment in segments {
                switch segment {
                case .text(let bytes): out.append(contentsOf: bytes)
                case .value(let index, let escaped):
                    if escaped {
                        HTMLText.appendEscaped(values[index], to: &out)
                    } else {
                        out.append(contentsOf: values[index].utf8)
                    }
                }
            }
            return Data(out)
        }
    }

    private let renderer: PageRenderer
    /// Shape → skeleton; nil when the shape must be rendered directly.
    private var skeletons: [Shape: Skeleton?] = [:]

    /// Pages of one shape differ only in their texts.
    private struct Shape: Hashable {
        let fields: [UInt64]
        let pageRoot: String
    }
    private let lock = NSLock()

    init(renderer: PageRenderer) {
        self.renderer = renderer
    }

    /// The page of `document` with `values` (`PageRenderer.tokenValues`).
    func page(_ document: SiteDocument, values: TokenPageValues) throws -> Data {
        let path = renderer.prefix + document.address.pageFile
        // A list of signers has no fixed shape: straight through Mustache.
        if values.signers != nil { return try renderer.render("token", renderer.tokenContext(values), path: path) }
        let shape = Shape(fields: values.shape, pageRoot: values.pageRoot)
        let known: Skeleton?? = lock.withLock { skeletons[shape] }
        if let known {
            guard let skeleton = known else { return try renderer.render("token", renderer.tokenContext(values), path: path) }
            return skeleton.fill(values.texts)
        }
        let direct = try renderer.render("token", renderer.tokenContext(values), path: path)
        let placeholders = values.replacingTexts { "\u{E000}\($0)&\u{E001}" }
        var built = Self.parse(try renderer.render("token", renderer.tokenContext(placeholders), path: path))
        if let candidate = built, candidate.fill(values.texts) != direct { built = nil }
        lock.withLock { skeletons[shape] = .some(built) }
        return direct
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
