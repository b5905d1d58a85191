/// The languages the default templates carry (`templates/locales/<id>.json`).
/// Indonesian is the default, as for the institutions segel serves.
///
/// Every page exists in both: the site's primary language (`--locale`) at the
/// addresses QR codes point to, the other under `<other>/` (`en/v/<token>/`),
/// each page linking to its counterpart (`hreflang`).
public enum PortalLocale: String, Sendable, Hashable, CaseIterable, Codable {
    case id
    case en

    /// The other language.
    public var other: PortalLocale { self == .id ? .en : .id }

    /// The language's name in itself, for the language switch.
    public var name: String { self == .id ? "Bahasa Indonesia" : "English" }
}
