/// The languages the default templates carry (`templates/locales/<id>.json`).
/// Indonesian is the default, as for the institutions segel serves.
public enum PortalLocale: String, Sendable, Hashable, CaseIterable, Codable {
    case id
    case en
}
