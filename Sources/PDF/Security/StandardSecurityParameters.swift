import Foundation

/// What the standard security handler needs from a document: the entries of its encryption
/// dictionary (ISO 32000-2 §7.6.2 Table 20 and §7.6.4.2 Table 21) and the first element of
/// the trailer's `/ID` array, which algorithms 2, 3 and 5 hash into the file key.
///
/// The byte strings are taken as they appear in the file; entries longer than the standard
/// length (Acrobat pads `/O` and `/U` of revision 6 to 127 bytes) are cut to the standard
/// length by the handler.
public struct StandardSecurityParameters: Sendable, Hashable {
    /// `/V`: the algorithm version (1, 2, 4 or 5).
    public var v: Int
    /// `/R`: the standard security handler revision (2 to 6).
    public var r: Int
    /// `/Length` of the encryption dictionary, in bits (40 to 128 for RC4; ignored for
    /// AES, whose key length is fixed).
    public var lengthBits: Int
    /// `/O`: the owner password check value (32 bytes, 48 from revision 5).
    public var o: Data
    /// `/U`: the user password check value (32 bytes, 48 from revision 5).
    public var u: Data
    /// `/OE` (revision 5 and 6): the file key encrypted under the owner password.
    public var oe: Data?
    /// `/UE` (revision 5 and 6): the file key encrypted under the user password.
    public var ue: Data?
    /// `/Perms` (revision 6): `/P` encrypted under the file key, to detect tampering.
    public var perms: Data?
    /// `/P`: the user access permissions (Table 22), a signed 32-bit integer.
    public var p: Int32
    /// `/EncryptMetadata` (default `true`).
    public var encryptMetadata: Bool
    /// The first element of the trailer's `/ID` (empty when the trailer has none).
    public var firstID: Data
    /// The method for strings: from `/StrF` and `/CF` for V4 and V5, `.rc4` for V1 to V3.
    public var stringMethod: CryptMethod
    /// The method for streams: from `/StmF` and `/CF` for V4 and V5, `.rc4` for V1 to V3.
    public var streamMethod: CryptMethod

    public init(v: Int, r: Int, lengthBits: Int, o: Data, u: Data, oe: Data?, ue: Data?, perms: Data?,
                p: Int32, encryptMetadata: Bool, firstID: Data,
                stringMethod: CryptMethod, streamMethod: CryptMethod) {
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
