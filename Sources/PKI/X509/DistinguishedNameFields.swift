/// The attributes segel puts into a subject name (RFC 5280 §4.1.2.4, X.520).
///
/// All values are UTF-8 and are encoded as UTF8String (PrintableString for the
/// country, IA5String for the e-mail address, as RFC 5280 requires), so names
/// like "Dr. Siti Rahayu, M.Kom." and "José Müller" keep their exact spelling.
/// Empty strings count as absent.
public struct DistinguishedNameFields: Sendable, Hashable {
    public var commonName: String?
    public var organization: String?
    public var organizationalUnit: String?
    public var title: String?
    public var email: String?
    /// ISO 3166-1 alpha-2 code, e.g. "ID".
    public var country: String?

    public init(commonName: String? = nil, organization: String? = nil, organizationalUnit: String? = nil,
                title: String? = nil, email: String? = nil, country: String? = nil) {
        self.commonName = commonName
        self.organization = organization
        self.organizationalUnit = organizationalUnit
        self.title = title
        self.email = email
        self.country = country
    }
}
