import Foundation

/// Validation data for a signature: the document security store (ISO 32000-2
/// §12.8.4.3, Table 261; ETSI EN 319 142-1 §5.4.2, PAdES B-LT) with the
/// certificates and CRLs a validator needs years later, as streams.
///
/// segel writes it in the same incremental update as the signature, so the
/// signature still covers the whole file (pdfsig: "total document signed";
/// pyHanko: entire file, no later revision whose changes need judging). A
/// `/DSS` the file already has keeps every entry (its arrays are extended,
/// its `/VRI` kept), so earlier signatures' validation data stays.
public struct DocumentSecurityStore: Sendable, Hashable {
    /// DER certificates (e.g. the CA and the TSA).
    public var certificates: [Data]
    /// DER CRLs.
    public var crls: [Data]

    public init(certificates: [Data], crls: [Data]) {
        self.certificates = certificates
        self.crls = crls
    }

    /// Adds the streams and the new `/DSS` to `update`, setting it in `catalog`
    /// (which the caller writes back as the new catalog).
    func add(to update: inout IncrementalUpdate, catalog: inout PDFDictionary, document: PDFDocument) throws {
        var store = try document.dictionary(catalog["DSS"]) ?? PDFDictionary()
        store["Type"] = .name("DSS")
        func extend(_ key: String, with items: [Data]) throws {
            var array = try document.array(store[key]) ?? []
            var seen = Set<Data>()
            for item in items where seen.insert(item).inserted {
                array.append(.reference(update.add(.stream(PDFStream(dictionary: PDFDictionary(), data: item)))))
            }
            if !array.isEmpty { store[key] = .array(array) }
        }
        try extend("Certs", with: certificates)
        try extend("CRLs", with: crls)
        catalog["DSS"] = .reference(update.add(.dictionary(store)))
    }
}
