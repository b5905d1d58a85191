import COpenSSL

/// The bits of the keyUsage extension (RFC 5280 §4.2.1.3).
public enum KeyUsage: String, Sendable, Hashable, CaseIterable {
    case digitalSignature
    /// Called contentCommitment in recent X.509 editions.
    case nonRepudiation
    case keyEncipherment
    case dataEncipherment
    case keyAgreement
    case keyCertSign
    case cRLSign
    case encipherOnly
    case decipherOnly

    /// The libcrypto `KU_*` flag for this bit.
    var flag: UInt32 {
        switch self {
        case .digitalSignature: UInt32(KU_DIGITAL_SIGNATURE)
        case .nonRepudiation: UInt32(KU_NON_REPUDIATION)
        case .keyEncipherment: UInt32(KU_KEY_ENCIPHERMENT)
        case .dataEncipherment: UInt32(KU_DATA_ENCIPHERMENT)
        case .keyAgreement: UInt32(KU_KEY_AGREEMENT)
        case .keyCertSign: UInt32(KU_KEY_CERT_SIGN)
        case .cRLSign: UInt32(KU_CRL_SIGN)
        case .encipherOnly: UInt32(KU_ENCIPHER_ONLY)
        case .decipherOnly: UInt32(KU_DECIPHER_ONLY)
        }
    }

    static func set(fromFlags flags: UInt32) -> Set<KeyUsage> {
        Set(allCases.filter { flags & $0.flag != 0 })
    }
}
