import Foundation
import PDF
import PKI

/// One signed field of the file with everything read from it before the
/// checks run: its dictionary, its ByteRange, its CMS and the signer's
/// certificate. Hostile values are kept as found; the checks judge them.
struct SignatureCandidate {
    /// A ByteRange of the only acceptable shape, `[0 a b c]` with `0 < a < b`, `c > 0`,
    /// and `b + c` inside the file (ISO 32000-2 §12.8.1 Table 255).
    struct Ranges: Hashable {
        let a: Int
        let b: Int
        let c: Int

        var end: Int { b + c }
        var gap: Range<Int> { a..<b }
        var signed: [Range<Int>] { [0..<a, b..<(b + c)] }
    }

    /// Position in the form's field order (to keep sorting stable).
    let index: Int
    let field: SignatureField
    let signature: SignatureDictionary
    /// `/Type /DocTimeStamp` or `/SubFilter /ETSI.RFC3161` (ISO 32000-2 §12.8.5).
    let isTimestamp: Bool
    /// The ByteRange when it has the acceptable shape.
    let ranges: Ranges?
    /// Why the ByteRange does not have the acceptable shape.
    let rangeProblem: String?
    let cms: CMSSignedData?
    /// Why `/Contents` is not a CMS SignedData.
    let cmsProblem: String?
    /// The document timestamp's TSTInfo (timestamps only).
    let timestampToken: TimestampInfo?
    /// The TSTInfo of the signature's own `signatureTimeStampToken`, when its
    /// messageImprint is the hash of this signature's value (PAdES B-T).
    let signatureTimestamp: TimestampInfo?
    /// That token's SignedData (for checking who issued it).
    let signatureTimestampToken: CMSSignedData?

    /// The trusted CA that issued the signer's certificate (issuer name and signature), found once.
    let issuingCA: Certificate?
    var issuedByTrustedCA: Bool { issuingCA != nil }

    var subFilter: String? { signature.subFilter }
    var signerCertificate: Certificate? { cms?.signerCertificate }

    /// The end of the signed bytes, for ordering (files with a broken range sort last).
    var sortKey: (Int, Int) { (ranges?.end ?? Int.max, index) }

    init(index: Int, field: SignatureField, signature: SignatureDictionary, fileLength: Int, trust: TrustContext) {
        self.index = index
        self.field = field
        self.signature = signature
        isTimestamp = signature.type == "DocTimeStamp" || signature.subFilter == "ETSI.RFC3161"

        let (ranges, problem) = SignatureCandidate.readRanges(signature, fileLength: fileLength)
        self.ranges = ranges
        rangeProblem = problem

        var cms: CMSSignedData?
        var cmsProblem: String?
        if let contents = signature.contents {
            if contents.isEmpty || contents.allSatisfy({ $0 == 0 }) {
                cmsProblem = "/Contents holds no signature (only zeros)"
            } else {
                do {
                    cms = try CMSSignedData(der: contents)
                } catch let error as PKIError {
                    cmsProblem = "/Contents is not a CMS signature (\(error.message))"
                } catch {
                    cmsProblem = "/Contents is not a CMS signature"
                }
            }
        } else {
            cmsProblem = "the signature dictionary has no /Contents string"
        }
        self.cms = cms
        self.cmsProblem = cmsProblem
        issuingCA = cms?.signerCertificate.flatMap(trust.issuingCA(of:))
        if isTimestamp, let content = cms?.encapsulatedContent {
            timestampToken = TimestampInfo(der: content)
        } else {
            timestampToken = nil
        }
        let stamp = cms.flatMap(Self.signatureTimestamp(of:))
        signatureTimestamp = stamp?.info
        signatureTimestampToken = stamp?.token
    }

    /// RFC 3161 Appendix A: the token is a SignedData over a TSTInfo whose
    /// messageImprint hashes the SignerInfo's signature value.
    private static func signatureTimestamp(of cms: CMSSignedData) -> (info: TimestampInfo, token: CMSSignedData)? {
        guard let der = cms.signatureTimestampToken, let token = try? CMSSignedData(der: der),
              token.encapsulatedContentType == TimestampInfo.contentType, let content = token.encapsulatedContent,
              let info = TimestampInfo(der: content), let algorithm = info.hashAlgorithm,
              CMSSignedData.digest(of: [cms.signatureValue], algorithm: algorithm) == info.hashedMessage else { return nil }
        return (info, token)
    }

    /// `[0 a b c]`: exactly four non-negative integers, starting at 0, `a < b`,
    /// and `b + c` (computed without overflow) within the file.
    private static func readRanges(_ signature: SignatureDictionary, fileLength: Int) -> (Ranges?, String?) {
        guard let raw = signature.dictionary["ByteRange"] else {
            return (nil, "the signature has no /ByteRange")
        }
        guard case .array(let elements) = raw else {
            return (nil, "/ByteRange is not an array written in the signature dictionary")
        }
        guard let values = signature.byteRange, values.count == elements.count else {
            return (nil, "/ByteRange holds something other than integers")
        }
        guard values.count == 4 else {
            return (nil, "/ByteRange has \(values.count) numbers instead of 4")
        }
        let (start, a, b, c) = (values[0], values[1], values[2], values[3])
        guard start >= 0, a >= 0, b >= 0, c >= 0 else {
            return (nil, "/ByteRange \(values) has a negative number")
        }
        guard start == 0 else {
            return (nil, "/ByteRange \(values) does not start at byte 0, so the beginning of the file is not signed")
        }
        guard a > 0, a < b else {
            return (nil, "/ByteRange \(values) does not leave a gap after the first signed part")
        }
        guard c > 0 else {
            return (nil, "/ByteRange \(values) signs nothing after the signature")
        }
        guard b <= fileLength, c <= fileLength - b else {
            return (nil, "/ByteRange \(values) reaches beyond the end of the file (\(fileLength) bytes)")
        }
        return (Ranges(a: a, b: b, c: c), nil)
    }
}
