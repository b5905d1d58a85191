import Foundation

/// The crypt filter method a standard security handler applies (ISO 32000-2
/// §7.6.5 Table 25 `/CFM`).
public enum CryptMethod: Sendable, Hashable { case identity, rc4, aesV2, aesV3 }

/// The values of a `/Filter /Standard` encryption dictionary (ISO 32000-2
/// §7.6.4, Tables 20 and 21) plus the first element of the trailer `/ID`.
public struct StandardSecurityParameters: Sendable {
    public var v: Int, r: Int, lengthBits: Int
    public var o: Data, u: Data, oe: Data?, ue: Data?, perms: Data?
    public var p: Int32, encryptMetadata: Bool, firstID: Data
    public var stringMethod: CryptMethod, streamMethod: CryptMethod

    public init(v: Int, r: Int, lengthBits: Int, o: Data, u: Data, oe: Data?, ue: Data?, perms: Data?,
                p: Int32, encryptMetadata: Bool, firstID: Data, stringMethod: CryptMethod, streamMethod: CryptMethod) {
        self.v = v
        self.r = r
        self.lengthBits = lengthBits
        self.o = o
        self.u = u
        self.oe = oe
        self.ue = ue
        self.perms = perms
        self.p = p
        self.encryptMetadata = encryptMetadata
        self.firstID = firstID
        self.stringMethod = stringMethod
        self.streamMethod = streamMethod
    }
}

/// Placeholder for the standard security handler (ISO 32000-2 §7.6.4), which
/// is developed separately; this stand-in refuses every encrypted file so the
/// parser can be built and tested without it. The integrator replaces this
/// file with the real implementation, which has the same interface.
public final class StandardSecurityHandler: Sendable {
    public init(parameters: StandardSecurityParameters) throws {
        throw PDFError(.unsupported, "encrypted files are not supported by this build")
    }

    public func decrypt(_ data: Data, object: Int, generation: Int, isStream: Bool) throws -> Data {
        throw PDFError(.unsupported, "encrypted files are not supported by this build", object: object)
    }

    public func encrypt(_ data: Data, object: Int, generation: Int, isStream: Bool) throws -> Data {
        throw PDFError(.unsupported, "encrypted files are not supported by this build", object: object)
    }

    public var fileKey: Data { Data() }
}
