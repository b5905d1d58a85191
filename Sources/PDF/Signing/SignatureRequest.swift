import Foundation

/// What to put into a new signature (ISO 32000-2 §12.8.1 Table 255, PAdES
/// ETSI EN 319 142-1 §5.3) and where to show it.
public struct SignatureRequest: Sendable {
    /// Partial name `/T` of the new field; must differ from every top-level field name.
    public var fieldName: String
    /// `/Name`: the signer.
    public var name: String?
    public var reason: String?
    public var location: String?
    public var contactInfo: String?
    /// `/M`, written as `D:YYYYMMDDHHmmSS+00'00'` (UTC).
    public var signingTime: Date
    /// `/SubFilter`, e.g. `ETSI.CAdES.detached`.
    public var subFilter: String
    /// Bytes reserved for the DER-encoded CMS (the hex string is twice as long).
    public var contentsCapacity: Int
    /// The widget's appearance; `nil` makes an invisible signature on the first page.
    public var appearance: SignatureAppearance?
    /// `/Type`: `Sig`, or `DocTimeStamp` for a document timestamp (§12.8.5), which has no `/M`.
    public var type: String
    /// Validation data written into the `/DSS` in the same update (PAdES B-LT).
    public var validationData: DocumentSecurityStore?
    /// A page to append in the same update and put the widget on (its
    /// `pageIndex` is then ignored), e.g. a verification page.
    public var appendedPage: AppendedPage?
    /// Certify the document (§12.8.2.2 DocMDP) with this permission: 1 no
    /// changes, 2 filling forms and signing, 3 also annotations. Nil: an
    /// approval signature.
    public var docMDPPermission: Int?
    /// Empty signature fields to create in the same update, for the signers
    /// who follow (a certified document may only have existing fields filled).
    public var reservedFields: [EmptySignatureField] = []
    /// Sign into this existing empty signature field (its widget keeps its
    /// `/Rect`; the appearance's rect must be that one) instead of adding one.
    public var fillField: String?

    public init(fieldName: String, name: String? = nil, reason: String? = nil, location: String? = nil,
                contactInfo: String? = nil, signingTime: Date = Date(), subFilter: String = "ETSI.CAdES.detached",
                contentsCapacity: Int = 16384, appearance: SignatureAppearance? = nil, type: String = "Sig",
                validationData: DocumentSecurityStore? = nil, appendedPage: AppendedPage? = nil) {
        self.fieldName = fieldName
        self.name = name
        self.reason = reason
        self.location = location
        self.contactInfo = contactInfo
        self.signingTime = signingTime
        self.subFilter = subFilter
        self.contentsCapacity = contentsCapacity
        self.appearance = appearance
        self.type = type
        self.validationData = validationData
        self.appendedPage = appendedPage
    }
}

/// A page added at the end of the document (ISO 32000-2 §7.7.3.3): its size,
/// content stream and resources.
public struct AppendedPage: Sendable {
    public var mediaBox: [Double]
    public var content: Data
    public var resources: PDFDictionary

    public init(mediaBox: [Double], content: Data, resources: PDFDictionary) {
        self.mediaBox = mediaBox
        self.content = content
        self.resources = resources
    }
}

/// An empty signature field made now for a later signer (ISO 32000-2
/// §12.7.5.5): a field merged with its widget at `rect` on page `pageIndex`
/// (or on the page appended in the same update).
public struct EmptySignatureField: Sendable, Hashable {
    public var name: String
    public var pageIndex: Int
    public var onAppendedPage: Bool
    public var rect: [Double]

    public init(name: String, pageIndex: Int, onAppendedPage: Bool = false, rect: [Double]) {
        self.name = name
        self.pageIndex = pageIndex
        self.onAppendedPage = onAppendedPage
        self.rect = rect
    }
}
