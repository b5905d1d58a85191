import Foundation

/// Builds a PDF content stream (ISO 32000-2 §7.8.2, operators of §8.4–§9.4)
/// one operator per line, with numbers written the same way every time.
struct ContentStreamWriter {
    private(set) var text = ""

    /// A real number as a PDF numeric object (ISO 32000-2 §7.3.3): at most
    /// three decimals, no exponent, no trailing zeros, no "-0". Three decimals
    /// are 1/1000 pt, far below any device resolution.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let thousandths = (value * 1000).rounded()
        // PDF readers need not accept integers beyond ±2^31 (Annex C); keep well inside.
        let clamped = min(max(thousandths, -2_000_000_000_000), 2_000_000_000_000)
        let scaled = Int64(clamped)
        if scaled == 0 { return "0" }
        let sign = scaled < 0 ? "-" : ""
        let magnitude = scaled.magnitude
        let whole = magnitude / 1000
        var fraction = String(magnitude % 1000)
        if fraction == "0" { return sign + String(whole) }
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return sign + String(whole) + "." + fraction
    }

    /// Appends `operands` and `op` as one line.
    mutating func emit(_ op: String, _ operands: Double...) {
        for operand in operands {
            text += Self.number(operand)
            text += " "
        }
        text += op
        text += "\n"
    }

    /// Appends an operator whose operands are already PDF tokens (names, strings).
    mutating func emit(_ op: String, tokens: [String]) {
        for token in tokens {
            text += token
            text += " "
        }
        text += op
        text += "\n"
    }

    /// One line of text at baseline (`x`, `y`) in `font` at `size`.
    mutating func showText(_ bytes: [UInt8], font: StampFont, size: Double, x: Double, y: Double) {
        emit("BT")
        emit("Tf", tokens: ["/" + font.resourceName, Self.number(size)])
        emit("Td", x, y)
        emit("Tj", tokens: [WinAnsi.literalString(bytes)])
        emit("ET")
    }

    var data: Data { Data(text.utf8) }
}
