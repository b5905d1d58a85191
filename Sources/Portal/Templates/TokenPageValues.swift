/// The document-specific values of a token page (templates/README.md,
/// "Token page context"), in fixed tables rather than a Mustache context:
/// `PageRenderer` turns them into the context when it renders through
/// Mustache, and `TokenPageSkeletons` puts them straight into a skeleton,
/// which for thousands of pages saves building and walking a dictionary each.
struct TokenPageValues {
    enum Value {
        case text(String)
        case flag(Bool)
    }

    /// The fields of `doc`, in the order Swift sorts their names (`docNames`).
    enum DocField: Int, CaseIterable {
        case approvedAt
        case certCRTHref
        case isInvalidated
        case isRevoked
        case isValid
        case jsonHref
        case logIndex
        case logSize
        case lookupCode
        case name
        case page
        case pdfAvailable
        case pdfHref
        case qrSVG
        case requesterName
        case requesterNIM
        case sha256
        case signatureID
        case signedAt
        case signerName
        case signerTitle
        case status
        case statusDate
        case statusReason
        case token
        case type
        case verificationURL
    }

    /// The fields of `cert`, in the order Swift sorts their names (`certNames`).
    enum CertField: Int, CaseIterable {
        case fingerprintSHA256
        case issuer
        case keyAlgorithm
        case notAfter
        case notBefore
        case serial
        case subject
    }

    /// The context names of `DocField`'s cases, in the same order.
    static let docNames = [
        "approved_at", "cert_crt_href", "is_invalidated", "is_revoked", "is_valid",
        "json_href", "log_index", "log_size", "lookup_code", "name", "page", "pdf_available", "pdf_href", "qr_svg", "requester_name", "requester_nim",
        "sha256", "signature_id", "signed_at", "signer_name", "signer_title", "status", "status_date",
        "status_reason", "token", "type", "verification_url",
    ]
    /// The context names of `CertField`'s cases, in the same order.
    static let certNames = [
        "fingerprint_sha256", "issuer", "key_algorithm", "not_after", "not_before", "serial", "subject",
    ]

    var asOf: String
    var asOfISO: String
    /// The way from the page to its language's root (`DocumentAddress.pageRoot`):
    /// part of the page's shape, not a text, since it is the same for most pages.
    var pageRoot: String
    /// By `DocField` order; nil for an absent value.
    var doc = [Value?](repeating: nil, count: TokenPageValues.docNames.count)
    /// By `CertField` order; nil for an absent value.
    var cert = [Value?](repeating: nil, count: TokenPageValues.certNames.count)
    /// Every signature in order when several approvers signed (nil for one):
    /// such pages are rendered directly, not from a skeleton.
    var signers: [[String: String]]?

    init(asOf: String, asOfISO: String, pageRoot: String) {
        self.asOf = asOf
        self.asOfISO = asOfISO
        self.pageRoot = pageRoot
    }

    subscript(field: DocField) -> Value? {
        get { doc[field.rawValue] }
        set { doc[field.rawValue] = newValue }
    }

    subscript(field: CertField) -> Value? {
        get { cert[field.rawValue] }
        set { cert[field.rawValue] = newValue }
    }

    /// Which values are present and how the flags are set: pages of one shape
    /// differ only in their texts. Two bits per field (present, flag value),
    /// 32 fields to a word.
    var shape: [UInt64] {
        var words: [UInt64] = []
        var bits: UInt64 = 0
        for (number, value) in [doc, cert].joined().enumerated() {
            if number > 0 && number % 32 == 0 {
                words.append(bits)
                bits = 0
            }
            bits <<= 2
            switch value {
            case nil: break
            case .text?: bits |= 0b10
            case .flag(let on)?: bits |= on ? 0b11 : 0b01
            }
        }
        words.append(bits)
        return words
    }

    /// The texts, in the order `TokenPageSkeletons` numbers its placeholders:
    /// `as_of`, `as_of_iso`, then `doc` and `cert` in field order.
    var texts: [String] {
        var out = [asOf, asOfISO]
        out.reserveCapacity(doc.count + cert.count + 2)
        for value in [doc, cert].joined() {
            if case .text(let text)? = value { out.append(text) }
        }
        return out
    }

    /// The values with every text replaced: what `TokenPageSkeletons`
    /// renders once per shape to find where each text goes.
    func replacingTexts(_ replace: (Int) -> String) -> TokenPageValues {
        var number = 0
        func next() -> String {
            defer { number += 1 }
            return replace(number)
        }
        var copy = TokenPageValues(asOf: next(), asOfISO: next(), pageRoot: pageRoot)
        copy.doc = doc.map { value in
            if case .text? = value { return .text(next()) }
            return value
        }
        copy.cert = cert.map { value in
            if case .text? = value { return .text(next()) }
            return value
        }
        return copy
    }
}
