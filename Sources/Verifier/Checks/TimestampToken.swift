import Foundation
import PKI

/// The parts of an RFC 3161 `TSTInfo` (§2.4.2) a document timestamp is
/// checked with (ISO 32000-2 §12.8.5: the token's messageImprint is the hash
/// of the ByteRange).
///
/// ```
/// TSTInfo ::= SEQUENCE {
///     version INTEGER { v1(1) }, policy TSAPolicyId,
///     messageImprint MessageImprint, serialNumber INTEGER,
///     genTime GeneralizedTime, … }
/// MessageImprint ::= SEQUENCE { hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET STRING }
/// ```
struct TimestampToken {
    /// id-ct-TSTInfo.
    static let contentType = "1.2.840.113549.1.9.16.1.4"

    let hashAlgorithmOID: String
    let hashedMessage: Data
    let generationTime: Date

    var hashAlgorithm: DigestAlgorithm? { DigestAlgorithm(oid: hashAlgorithmOID) }

    init?(der: Data) {
        var outer = DERReader(der)
        guard let body = outer.read(tag: 0x30)?.content else { return nil }
        var fields = DERReader(body)
        guard fields.read(tag: 0x02) != nil, fields.read(tag: 0x06) != nil,
              let imprint = fields.read(tag: 0x30)?.content else { return nil }
        var imprintFields = DERReader(imprint)
        guard let algorithm = imprintFields.read(tag: 0x30)?.content,
              let hashed = imprintFields.read(tag: 0x04)?.content else {
            return nil
        }
        var algorithmFields = DERReader(algorithm)
        guard let oid = algorithmFields.read(tag: 0x06)?.content, let dotted = DERReader.objectIdentifier(oid) else {
            return nil
        }
        guard fields.read(tag: 0x02) != nil, let time = fields.read(tag: 0x18)?.content,
              let date = TimestampToken.generalizedTime(time) else { return nil }
        hashAlgorithmOID = dotted
        hashedMessage = hashed
        generationTime = date
    }

    /// `YYYYMMDDhhmmss[.f…]Z` (RFC 3161 §2.4.2 requires UTC).
    static func generalizedTime(_ content: Data) -> Date? {
        let text = String(decoding: content, as: UTF8.self)
        guard text.hasSuffix("Z"), text.count >= 15 else { return nil }
        let digits = Array(text.prefix(14))
        guard digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        func number(_ start: Int, _ length: Int) -> Int? { Int(String(digits[start..<start + length])) }
        var components = DateComponents()
        components.year = number(0, 4)
        components.month = number(4, 2)
        components.day = number(6, 2)
        components.hour = number(8, 2)
        components.minute = number(10, 2)
        components.second = number(12, 2)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }
}
