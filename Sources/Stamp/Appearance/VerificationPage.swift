import Foundation

/// The content of the page `--placement new-page` appends to a document
/// whose pages have no blank space for the stamp: a heading and a few lines
/// of text in the stamp's fonts (Helvetica, WinAnsi), wrapped to the page;
/// the stamp itself is the signature widget placed below them.
public enum VerificationPage {
    /// The drawn text and where the stamp may go (the area below the text,
    /// displayed coordinates from the page's lower-left corner).
    public struct Layout: Sendable {
        public let content: Data
        /// The y coordinate under the last line of text.
        public let textBottom: Double
    }

    public static func render(title: String, lines: [String], width: Double, height: Double,
                              margin: Double = 56) -> Layout {
        var stream = ContentStreamWriter()
        let textWidth = max(100, width - 2 * margin)
        var y = height - margin
        let heading = TextFitter.fit(title, font: .bold, size: 18, minSize: 10, maxWidth: textWidth, maxLines: 2)
        stream.emit("g", 0)
        for line in heading.lines {
            y -= heading.fontSize * 1.25
            stream.showText(line, font: .bold, size: heading.fontSize, x: margin, y: y)
        }
        y -= 8
        for paragraph in lines {
            let fitted = TextFitter.fit(paragraph, font: .regular, size: 11, minSize: 8, maxWidth: textWidth, maxLines: 6)
            for line in fitted.lines {
                y -= fitted.fontSize * 1.35
                stream.showText(line, font: .regular, size: fitted.fontSize, x: margin, y: y)
            }
            y -= 6
        }
        return Layout(content: stream.data, textBottom: y)
    }
}
