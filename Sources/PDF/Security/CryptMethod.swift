import Foundation

/// How a crypt filter transforms strings or streams: the `/CFM` entry of a crypt filter
/// dictionary (ISO 32000-2 §7.6.5, Table 25), or the fixed RC4 of security handlers
/// before version 4 (§7.6.3.2).
public enum CryptMethod: Sendable, Hashable {
    /// `/CFM /None`, or the `/Identity` crypt filter: the data is not encrypted.
    case identity
    /// `/CFM /V2`: RC4 under the object key of algorithm 1 (§7.6.3.3).
    case rc4
    /// `/CFM /AESV2`: AES-128 in CBC mode under the object key of algorithm 1 with the
    /// `sAlT` suffix; the data is a 16-byte IV followed by PKCS#7-padded ciphertext.
    case aesV2
    /// `/CFM /AESV3` (PDF 2.0): AES-256 in CBC mode under the file encryption key itself
    /// (§7.6.3.4); same IV-plus-ciphertext layout as AESV2.
    case aesV3

    /// The method a `/CFM` name stands for (ISO 32000-2 Table 25), without the slash;
    /// `nil` for a name the standard does not define.
    public init?(cryptFilterMethod name: String) {
        switch name {
        case "None": self = .identity
        case "V2": self = .rc4
        case "AESV2": self = .aesV2
        case "AESV3": self = .aesV3
        default: return nil
        }
    }

    /// Whether the method is AES, whose data carries an IV and padding.
    var isAES: Bool { self == .aesV2 || self == .aesV3 }
}
