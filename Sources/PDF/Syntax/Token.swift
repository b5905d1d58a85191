/// A lexical token of ISO 32000-2 §7.2–7.3.
enum Token: Equatable {
    case integer(Int)
    case real(Double)
    case name(String)
    case string(PDFString)
    case arrayOpen
    case arrayClose
    case dictionaryOpen
    case dictionaryClose
    case keyword(Keyword)
    case endOfInput
}
