import Foundation
import PKI

/// The parts of an X.509 certificate (RFC 5280 §4.1) that differ from one
/// document's certificate to the next, read from the DER with PKI's
/// `DERReader`, plus the parts that `CertificateReader` uses to recognise
/// certificates libcrypto would describe alike:
///
/// ```
/// Certificate  ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
/// TBSCertificate ::= SEQUENCE {
///     version [0] EXPLICIT Version DEFAULT v1, serialNumber INTEGER,
///     signature AlgorithmIdentifier, issuer Name,
///     validity SEQUENCE { notBefore Time, notAfter Time },
///     subject Name, subjectPublicKeyInfo SEQUENCE { algorithm, subjectPublicKey BIT STRING },
///     ... }
/// Time ::= CHOICE { utcTime UTCTime, generalTime GeneralizedTime }
/// ```
///
/// Only the usual forms are accepted: a positive serial, times as
/// `YYMMDDHHMMSSZ` or `YYYYMMDDHHMMSSZ` (RFC 5280 §4.1.2.5.1–2), no trailing
/// bytes. Anything else gives nil, and the certificate is read by libcrypto.
struct CertificateOutline {
    let serialHex: String
    let notBefore: Date
    let notAfter: Date
    /// What libcrypto's texts for this certificate depend on: the issuer and
    /// subject Names' DER, the public key's AlgorithmIdentifier DER and its size.
    let kind: Kind

    struct Kind: Hashable {
        let issuer: Data
        let subject: Data
        let keyAlgorithm: Data
        /// The RSA modulus' bit length; for other keys, the key's length in bytes.
        let keySize: Int
    }

    init?(der: Data) {
        var outer = DERReader(der)
        guard let certificate = outer.read(tag: 0x30), outer.isAtEnd else { return nil }
        var parts = DERReader(certificate.content)
        guard let tbs = parts.read(tag: 0x30), parts.read(tag: 0x30) != nil, parts.read(tag: 0x03) != nil,
              parts.isAtEnd else { return nil }
        var fields = DERReader(tbs.content)
        _ = fields.read(tag: 0xA0)
        guard let serial = fields.read(tag: 0x02), fields.read(tag: 0x30) != nil,
              let issuer = fields.read(tag: 0x30), let validity = fields.read(tag: 0x30),
              let subject = fields.read(tag: 0x30), let publicKeyInfo = fields.read(tag: 0x30),
              let serialHex = Self.serialHex(serial.content) else { return nil }
        var times = DERReader(validity.content)
        guard let start = times.read().flatMap(Self.date), let end = times.read().flatMap(Self.date),
              times.isAtEnd else { return nil }
        var key = DERReader(publicKeyInfo.content)
        guard let algorithm = key.read(tag: 0x30), let bits = key.read(tag: 0x03), key.isAtEnd,
              let size = Self.keySize(algorithm: algorithm, bits: bits.content) else { return nil }
        self.serialHex = serialHex
        notBefore = start
        notAfter = end
        kind = Kind(issuer: issuer.encoded, subject: subject.encoded, keyAlgorithm: algorithm.encoded, keySize: size)
    }

    /// `SerialNumber`'s text form for a positive INTEGER: the magnitude's
    /// bytes without leading zero bytes in lowercase hex, "00" for zero.
    private static func serialHex(_ content: Data) -> String? {
        guard let first = content.first, first & 0x80 == 0 else { return nil }
        let magnitude = content.drop { $0 == 0 }
        return magnitude.isEmpty ? "00" : Digest.hex(Data(magnitude))
    }

    /// UTCTime `YYMMDDHHMMSSZ` (years 1950–2049) or GeneralizedTime `YYYYMMDDHHMMSSZ`.
    private static func date(_ element: DERReader.Element) -> Date? {
        let text = [UInt8](element.content)
        let yearDigits: Int
        switch (element.tag, text.count) {
        case (0x17, 13): yearDigits = 2
        case (0x18, 15): yearDigits = 4
        default: return nil
        }
        guard text.last == UInt8(ascii: "Z") else { return nil }
        var numbers: [Int] = []
        var index = 0
        for width in [yearDigits, 2, 2, 2, 2, 2] {
            var value = 0
            for _ in 0..<width {
                let digit = Int(text[index]) - 0x30
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
                index += 1
            }
            numbers.append(value)
        }
        var year = numbers[0]
        if yearDigits == 2 { year += year < 50 ? 2000 : 1900 }
        let (month, day, hour, minute, second) = (numbers[1], numbers[2], numbers[3], numbers[4], numbers[5])
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60 else { return nil }
        // Days from 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3_600 + minute * 60 + second))
    }

    /// The modulus' bit length for an RSA key (rsaEncryption, RFC 8017 A.1.1
    /// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`);
    /// the BIT STRING's length for any other key.
    private static func keySize(algorithm: DERReader.Element, bits: Data) -> Int? {
        var fields = DERReader(algorithm.content)
        guard let oid = fields.read(tag: 0x06).flatMap({ DERReader.objectIdentifier($0.content) }) else { return nil }
        guard oid == "1.2.840.113549.1.1.1" else { return bits.count }
        guard bits.first == 0 else { return nil }
        var key = DERReader(bits.dropFirst())
        guard let sequence = key.read(tag: 0x30), key.isAtEnd else { return nil }
        var numbers = DERReader(sequence.content)
        guard let modulus = numbers.read(tag: 0x02) else { return nil }
        let magnitude = modulus.content.drop { $0 == 0 }
        guard let top = magnitude.first else { return nil }
        return magnitude.count * 8 - top.leadingZeroBitCount
    }
}
