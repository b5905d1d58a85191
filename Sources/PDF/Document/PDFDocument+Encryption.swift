import Foundation

extension PDFDocument {
    /// Reads the `/Encrypt` dictionary (ISO 32000-2 §7.6.2 Table 20, §7.6.4
    /// Table 21, §7.6.5 crypt filters) and opens the standard security handler
    /// with the empty user password.
    func setUpEncryption() throws {
        guard let value = trailer["Encrypt"] else { return }
        guard let dictionary = try resolve(value).dictionaryValue else {
            throw PDFError(.encryption, "/Encrypt is not a dictionary")
        }
        encryptionDictionary = dictionary
        let filter = dictionary.name("Filter") ?? "(none)"
        guard filter == "Standard" else {
            throw PDFError(.unsupported, "the file uses the \(filter) security handler, which segel does not support")
        }
        let parameters = try PDFDocument.securityParameters(dictionary, trailer: trailer)
        encryptMetadata = parameters.encryptMetadata
        securityHandler = try StandardSecurityHandler(parameters: parameters)
    }

    /// Builds the handler parameters from an encryption dictionary and the trailer `/ID`.
    static func securityParameters(_ dictionary: PDFDictionary, trailer: PDFDictionary) throws
        -> StandardSecurityParameters {
        guard let v = dictionary.int("V"), let r = dictionary.int("R") else {
            throw PDFError(.encryption, "the encryption dictionary lacks /V or /R")
        }
        guard let o = dictionary["O"]?.stringValue?.bytes, let u = dictionary["U"]?.stringValue?.bytes,
              let p = dictionary["P"]?.intValue else {
            throw PDFError(.encryption, "the encryption dictionary lacks /O, /U or /P")
        }
        var stringMethod = CryptMethod.rc4
        var streamMethod = CryptMethod.rc4
        if v >= 4 {
            let filters = dictionary["CF"]?.dictionaryValue ?? PDFDictionary()
            func method(_ key: String) throws -> CryptMethod {
                let name = dictionary.name(key) ?? "Identity"
                if name == "Identity" { return .identity }
                guard let filter = filters[name]?.dictionaryValue else {
                    throw PDFError(.encryption, "crypt filter /\(name) named by /\(key) is not defined in /CF")
                }
                switch filter.name("CFM") ?? "None" {
                case "None": return .identity
                case "V2": return .rc4
                case "AESV2": return .aesV2
                case "AESV3": return .aesV3
                case let other: throw PDFError(.unsupported, "crypt filter method /\(other) is not supported")
                }
            }
            stringMethod = try method("StrF")
            streamMethod = try method("StmF")
        }
        let firstID = trailer["ID"]?.arrayValue?.first?.stringValue?.bytes ?? Data()
        return StandardSecurityParameters(
            v: v, r: r, lengthBits: dictionary.int("Length") ?? 40, o: o, u: u,
            oe: dictionary["OE"]?.stringValue?.bytes, ue: dictionary["UE"]?.stringValue?.bytes,
            perms: dictionary["Perms"]?.stringValue?.bytes,
            p: Int32(truncatingIfNeeded: p), encryptMetadata: dictionary["EncryptMetadata"]?.boolValue ?? true,
            firstID: firstID, stringMethod: stringMethod, streamMethod: streamMethod)
    }

    /// Decrypts the strings and stream data of an object just read from the
    /// file (§7.6.2). Not decrypted: the `/Encrypt` dictionary, cross-reference
    /// streams, the `/Contents` of signature dictionaries (§7.6.2, they are
    /// never encrypted), metadata streams when `/EncryptMetadata` is false, and
    /// streams whose `/Crypt` filter is `/Identity`.
    func decryptLoaded(_ object: PDFObject, reference: ObjectRef) throws -> PDFObject {
        guard let handler = securityHandler, reference != encryptReference else { return object }
        if case .stream(let stream) = object, stream.dictionary.name("Type") == "XRef" { return object }
        return try decrypt(object, reference: reference, handler: handler)
    }

    private func decrypt(_ object: PDFObject, reference: ObjectRef, handler: StandardSecurityHandler) throws -> PDFObject {
        try mapEncryptedParts(object, hexStrings: false) { bytes, isStream in
            try handler.decrypt(bytes, object: reference.number, generation: reference.generation, isStream: isStream)
        }
    }

    /// Replaces, with `transform`, every string and stream body of `object` that
    /// the security handler covers (§7.6.2): all but the `/Contents` of signature
    /// dictionaries, metadata streams when `/EncryptMetadata` is false, and streams
    /// whose `/Crypt` filter is `/Identity`. Reading decrypts through it and the
    /// incremental writer encrypts through it, so both follow the same rule.
    /// `hexStrings` writes transformed strings as hex (ciphertext is binary).
    func mapEncryptedParts(_ object: PDFObject, hexStrings: Bool,
                           _ transform: (Data, _ isStream: Bool) throws -> Data) throws -> PDFObject {
        switch object {
        case .string(let string):
            return .string(PDFString(bytes: try transform(string.bytes, false), wasHex: hexStrings || string.wasHex))
        case .array(let elements):
            return .array(try elements.map { try mapEncryptedParts($0, hexStrings: hexStrings, transform) })
        case .dictionary(let dictionary):
            return .dictionary(try mapEncryptedParts(in: dictionary, hexStrings: hexStrings, transform))
        case .stream(let stream):
            let dictionary = try mapEncryptedParts(in: stream.dictionary, hexStrings: hexStrings, transform)
            let data = streamIsEncrypted(stream.dictionary) ? try transform(stream.data, true) : stream.data
            return .stream(PDFStream(dictionary: dictionary, data: data))
        default:
            return object
        }
    }

    private func mapEncryptedParts(in dictionary: PDFDictionary, hexStrings: Bool,
                                   _ transform: (Data, Bool) throws -> Data) throws -> PDFDictionary {
        let isSignature = PDFDocument.isSignatureDictionary(dictionary)
        return try dictionary.mapValues { key, value in
            isSignature && key == "Contents" ? value : try mapEncryptedParts(value, hexStrings: hexStrings, transform)
        }
    }

    /// A signature or document timestamp dictionary (§12.8.1 Table 255).
    static func isSignatureDictionary(_ dictionary: PDFDictionary) -> Bool {
        if let type = dictionary.name("Type"), type == "Sig" || type == "DocTimeStamp" { return true }
        return dictionary["ByteRange"] != nil && dictionary["Contents"]?.stringValue != nil
    }

    private func streamIsEncrypted(_ dictionary: PDFDictionary) -> Bool {
        if !encryptMetadata, dictionary.name("Type") == "Metadata" { return false }
        let stream = PDFStream(dictionary: dictionary, data: Data())
        if let index = stream.filters.firstIndex(of: "Crypt") {
            let name = stream.decodeParameters[index]?.name("Name") ?? "Identity"
            if name == "Identity" { return false }
        }
        return true
    }
}
