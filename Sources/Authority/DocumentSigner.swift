import Foundation
import PDF
import PKI
import Record
import Stamp

/// Where the QR stamp goes. `nil` fields take the default: bottom-right of the
/// last page, inside its CropBox, upright however the page is rotated.
public struct StampPosition: Sendable, Hashable, Codable {
    public enum Page: Sendable, Hashable, Codable {
        case last
        /// 1-based, as people count pages.
        case number(Int)
    }

    /// How the stamp's place is chosen when `x`/`y` are not given.
    public enum Placement: String, Sendable, Hashable, Codable, CaseIterable {
        /// Blank space on the page (never over its text, paths, images or
        /// annotations), at the requested size or smaller; refused when none.
        case auto
        /// A verification page appended to the document, with the stamp on it.
        case newPage = "new-page"
    }

    public var page: Page = .last
    public var placement: Placement = .auto
    /// Lower-left corner of the stamp in points, measured on the page as it is
    /// displayed, from the CropBox's lower-left corner.
    public var x: Double?
    public var y: Double?
    /// Side of the QR symbol (quiet zone included) in points; the caption
    /// beside it makes the whole stamp 2.9 times as wide.
    public var size: Double = StampPosition.defaultSize

    public static let defaultSize: Double = StampRenderer.defaultQRSize

    public init(page: Page = .last, x: Double? = nil, y: Double? = nil, size: Double = StampPosition.defaultSize,
                placement: Placement = .auto) {
        self.page = page
        self.placement = placement
        self.x = x
        self.y = y
        self.size = size
    }
}

/// Who signs, as the stamp, the certificate and the signature dictionary name them.
public struct SignerIdentity: Sendable, Hashable {
    public var name: String
    public var title: String?
    public var email: String?

    public init(name: String, title: String? = nil, email: String? = nil) {
        self.name = name
        self.title = title
        self.email = email
    }
}

/// The output of signing one PDF, before anything is recorded.
public struct SignedPDF: Sendable {
    public let data: Data
    public let sha256: String
    public let key: PrivateKey
    public let certificate: Certificate
    /// Where the stamp landed (0-based page index and the widget rectangle).
    public let pageIndex: Int
    public let rect: [Double]
    /// The QR code drawn in the stamp (it encodes the verification URL).
    public let qr: QRSymbol
}

/// Signs one PDF: a fresh key and leaf certificate from the CA, the QR stamp as
/// the widget appearance, the PAdES signature (ISO 32000-2 §12.8,
/// ETSI EN 319 142-1): B-B; B-T with `timestamps` (a signatureTimeStampToken
/// over the signature value); B-LT with `validationData` (a /DSS holding the
/// CA and TSA certificates and a CRL signed at that moment, written in the
/// signature's own update so the signature covers the whole file); B-LTA
/// with `closingTimestamp` (a document timestamp after it). Reads and writes no files and no registry; an external TSA is the
/// one thing it reaches over the network.
public struct DocumentSigner: Sendable {
    public let ca: CertificateAuthority
    public let settings: AuthoritySettings
    /// Set when the authority retains per-document keys: they are stored
    /// PKCS#8-encrypted under this passphrase.
    public let retainPassphrase: String?
    /// Where per-document keys come from (a `KeyPool` in batches); nil generates one per call.
    public var keySource: (@Sendable (KeyType) throws -> PrivateKey)?
    /// Who timestamps each signature (B-T); nil: no timestamp (B-B).
    public var timestamps: TimestampSource?
    /// What goes into the DSS after the signature (B-LT); nil: no DSS.
    public var validationData: ValidationData?
    /// Close the file with a document timestamp after the DSS (B-LTA).
    public var closingTimestamp = false

    /// Bytes reserved for the DER CMS; the largest case, RSA-3072 leaf and CA
    /// certificates and an RSA-3072 signature, needs about 3.5 KiB, so this
    /// leaves room to spare.
    static let contentsCapacity = 12_288

    public init(ca: CertificateAuthority, settings: AuthoritySettings, retainPassphrase: String? = nil) {
        self.ca = ca
        self.settings = settings
        self.retainPassphrase = retainPassphrase
    }

    /// `certifies`: the first of several signatures, which certifies the
    /// document so that only later signatures may follow (DocMDP P=2), unless
    /// the file is signed already (then no signature of ours can certify it).
    /// `closes`: the last signature, after which the B-LTA document timestamp
    /// (when `closingTimestamp`) goes; an earlier signer's file stays open.
    public func sign(pdf input: Data, fileLabel: String, signer: SignerIdentity, token: String,
                     signatureID: String, keyType: KeyType, position: StampPosition,
                     certifies: Bool = false, closes: Bool = true,
                     reserving later: [StampPosition] = [], filling fieldName: String? = nil,
                     now: Date = Date()) throws -> SignedPDF {
        let url = settings.verificationURL(token: token)
        let document = try Self.open(input, fileLabel: fileLabel)
        let pages: [Page]
        do {
            pages = try document.pages
        } catch let error as PDFError {
            throw AuthorityError(.refused, "\(fileLabel) has an unreadable page tree: \(error.description)")
        }
        guard !pages.isEmpty else {
            throw AuthorityError(.refused, "\(fileLabel) has no pages")
        }
        let reservedField = try fieldName.map { try Self.emptyField(named: $0, in: document, pages: pages, fileLabel: fileLabel) }
        let pageIndex = try reservedField?.pageIndex ?? Self.pageIndex(position.page, pages: pages, fileLabel: fileLabel)
        let page = pages[pageIndex]

        let host = URLComponents(string: settings.baseURL).map { ($0.host ?? "") + ($0.port.map { ":\($0)" } ?? "") + $0.path }
            ?? settings.baseURL
        let caption = StampCaption(signerName: signer.name, signerTitle: signer.title,
                                   dateText: Self.captionDate(now, zone: settings.zone),
                                   code: "Kode / Code: " + (LookupCode(signatureID: signatureID)?.grouped ?? signatureID),
                                   scanText: "Pindai atau ketik kode di \(host) / Scan or type the code at \(host)")
        // Encoded once: its size decides how small the stamp may be, then it is drawn.
        let symbol = try QRSymbol(url)
        var spot: StampSpot
        var reserved: [EmptySignatureField] = []
        if let reservedField {
            spot = reservedField.spot(rotate: page.rotate)
        } else {
            let inks = PageInks(document: document)
            spot = try Self.stampSpot(document: document, page: page, pageIndex: pageIndex, modules: symbol.size, inks: inks,
                                      position: position, fileLabel: fileLabel, settings: settings)
            reserved = try reserveFields(later, after: spot, document: document, pages: pages, firstPage: pageIndex,
                                         modules: symbol.size, fileLabel: fileLabel, inks: inks)
            // Stamps side by side in one row read left to right in signing order.
            let row = reserved.indices.filter { index in
                let rect = reserved[index].rect
                return !reserved[index].onAppendedPage && reserved[index].pageIndex == pageIndex
                    && rect[1] == spot.placement.rect[1] && rect[3] == spot.placement.rect[3]
            }
            if !row.isEmpty, spot.placement.matrix == nil {
                let ordered = ([spot.placement.rect] + row.map { reserved[$0].rect }).sorted { $0[0] < $1[0] }
                spot.placement.rect = ordered[0]
                for (index, rect) in zip(row, ordered.dropFirst()) { reserved[index].rect = rect }
            }
        }
        let appearance = try StampRenderer.render(symbol: symbol, caption: caption, qrSize: spot.qrSize)
        let placement = spot.placement

        guard ca.certificate.validityContains(now) else {
            throw AuthorityError(.refused, "the CA certificate is not valid at \(ISOTime.readable(now)) (valid \(ISOTime.readable(ca.certificate.notBefore)) – \(ISOTime.readable(ca.certificate.notAfter))); run `segel ca renew` for a successor CA")
        }
        let key = try keySource?(keyType) ?? PrivateKey.generate(keyType)
        let certificate = try ca.issueLeaf(
            subject: DistinguishedNameFields(commonName: signer.name, organization: settings.name,
                                             title: signer.title, email: signer.email),
            publicKeyOf: key, uri: url, crlURI: settings.crlURL, caIssuersURI: settings.caCertificateURL,
            validityDays: settings.leafValidityDays, now: now)

        var request = SignatureRequest(
            fieldName: "Segel-\(signatureID)",
            name: signer.name,
            reason: "Approved and signed by \(settings.name)",
            location: settings.baseURL,
            contactInfo: signer.email,
            signingTime: now,
            subFilter: "ETSI.CAdES.detached",
            contentsCapacity: Self.contentsCapacity,
            appearance: SignatureAppearance(
                pageIndex: spot.appendedPage == nil ? pageIndex : pages.count, rect: placement.rect,
                bbox: [0, 0, appearance.width, appearance.height], matrix: placement.matrix,
                content: appearance.content, resources: StampResources.dictionary),
            validationData: try validationData.map { data in
                // A CRL signed now: proof, in the file, that the certificate was not revoked when it was signed.
                DocumentSecurityStore(certificates: (data.certificates + (timestamps?.localCertificates ?? [])).map(\.der),
                                      crls: [try data.revocationList(now).der])
            },
            appendedPage: spot.appendedPage)
        // Only a document's first signature can certify it: a file that comes
        // signed already gets approval signatures, in fields reserved all the same.
        if certifies, try !document.hasSignatures { request.docMDPPermission = 2 }
        request.reservedFields = reserved
        request.fillField = fieldName
        let prepared: PreparedSignature
        do {
            prepared = try PDFSigner.prepare(input, readable: document, request: request)
        } catch let error as PDFError {
            throw AuthorityError(.refused, "\(fileLabel) cannot be signed: \(error.description)")
        }
        // The key signs this one document and nothing else.
        let tsa = timestamps?.authority(at: now)
        let cms = try CMSSigner.signDetached(content: prepared.signedRanges(), key: key,
                                             certificate: certificate, chain: [ca.certificate],
                                             signingTime: nil,
                                             timestamp: tsa.map { tsa in { try Self.token(from: tsa, sha256: $0, at: now) } })
        var output = try prepared.embed(cms: cms)
        if closingTimestamp, closes, let tsa {
            output = try Self.closeWithDocumentTimestamp(output, tsa: tsa, fileLabel: fileLabel, now: now)
        }
        let signed = SignedPDF(data: output, sha256: Digest.hex(Digest.sha256(output)), key: key,
                               certificate: certificate, pageIndex: spot.appendedPage == nil ? pageIndex : pages.count,
                               rect: placement.rect,
                               qr: appearance.symbol)
        return signed
    }

    /// The name of the empty signature field the signer at `position` (2 or
    /// later) of a document with several signers signs into.
    public static func reservedFieldName(position: Int) -> String { ReservedSignatureField.name(position: position) }

    /// 0-based index of `page` in a document of `pages`.
    static func pageIndex(_ page: StampPosition.Page, pages: [Page], fileLabel: String) throws -> Int {
        switch page {
        case .last:
            return pages.count - 1
        case .number(let n):
            guard n >= 1, n <= pages.count else {
                throw AuthorityError(.usage, "\(fileLabel) has \(pages.count) page(s); there is no page \(n)")
            }
            return n - 1
        }
    }

    /// An empty signature field the first signer reserved: its page and rectangle.
    struct EmptyField {
        var pageIndex: Int
        var rect: [Double]

        /// The stamp that fills the rectangle exactly: QR side = the stamp's
        /// height as displayed, turned like the page.
        func spot(rotate: Int) -> StampSpot {
            let turned = StampPlacement.normalizedRotation(rotate) % 180 != 0
            let width = abs(rect[2] - rect[0]), height = abs(rect[3] - rect[1])
            let qr = turned ? width : height
            let stamp = (width: qr * (1 + StampRenderer.captionWidthRatio), height: qr)
            return StampSpot(placement: (rect, StampPlacement.matrix(rotation: rotate, width: stamp.width, height: stamp.height)),
                             qrSize: qr)
        }
    }

    static func emptyField(named name: String, in document: PDFDocument, pages: [Page], fileLabel: String) throws -> EmptyField {
        guard let field = try document.signatureFields.first(where: { $0.name == name }), !field.isSigned,
              let reference = field.fieldRef, let dictionary = try document.resolve(reference).dictionaryValue,
              let rect = dictionary["Rect"]?.numberArray, rect.count == 4, rect.allSatisfy(\.isFinite),
              let pageReference = dictionary["P"]?.referenceValue,
              let pageIndex = pages.firstIndex(where: { $0.ref == pageReference }) else {
            throw AuthorityError(.refused, "\(fileLabel) has no empty signature field \(name) on one of its pages for this signer")
        }
        let normalized = [min(rect[0], rect[2]), min(rect[1], rect[3]), max(rect[0], rect[2]), max(rect[1], rect[3])]
        guard normalized[2] - normalized[0] > 1, normalized[3] - normalized[1] > 1 else {
            throw AuthorityError(.refused, "the signature field \(name) of \(fileLabel) has no area")
        }
        return EmptyField(pageIndex: pageIndex, rect: normalized)
    }

    /// Places the stamps of the signers who follow (`later`, positions 2…),
    /// each in blank space that no earlier stamp takes — beside the ones
    /// before when their row has room — and returns their empty fields.
    func reserveFields(_ later: [StampPosition], after first: StampSpot, document: PDFDocument, pages: [Page],
                       firstPage: Int, modules: Int, fileLabel: String, inks: PageInks) throws -> [EmptySignatureField] {
        var taken: [Int: [[Double]]] = [firstPage: [first.placement.rect]]
        var fields: [EmptySignatureField] = []
        for (offset, position) in later.enumerated() {
            let name = Self.reservedFieldName(position: offset + 2)
            if let appended = first.appendedPage, position.x == nil {
                // On the verification page: beside the one before, or in a new row under the first.
                let height = first.qrSize, width = height * (1 + StampRenderer.captionWidthRatio), gap = 12.0
                let previous = fields.last?.rect ?? first.placement.rect
                let pageWidth = appended.mediaBox[2] - appended.mediaBox[0]
                var rect = [previous[2] + gap, previous[1], previous[2] + gap + width, previous[3]]
                if rect[2] > pageWidth - 24 {
                    let y = previous[1] - gap - height
                    rect = [first.placement.rect[0], y, first.placement.rect[0] + width, y + height]
                }
                guard rect[1] >= 24 else {
                    throw AuthorityError(.refused, "the verification page has no room for \(later.count + 1) stamps")
                }
                fields.append(EmptySignatureField(name: name, pageIndex: pages.count, onAppendedPage: true, rect: rect))
                continue
            }
            var position = position
            if position.placement == .newPage { position.placement = .auto }
            let index = try Self.pageIndex(position.page, pages: pages, fileLabel: fileLabel)
            // `findSpace` tries the lowest row first, right to left: beside the stamps
            // before when that row has room, else in the next blank row.
            let rect = try Self.stampSpot(document: document, page: pages[index], pageIndex: index, modules: modules,
                                          inks: inks, position: position, fileLabel: fileLabel, settings: settings,
                                          alsoOccupied: taken[index] ?? [], signer: offset + 2).placement.rect
            if let clash = (taken[index] ?? []).first(where: { Self.overlaps($0, rect) }) {
                throw AuthorityError(.usage, "the stamp of signer \(offset + 2) on page \(index + 1) of \(fileLabel) would overlap another stamp at \(clash.map(Self.points)); choose another field")
            }
            taken[index, default: []].append(rect)
            fields.append(EmptySignatureField(name: name, pageIndex: index, rect: rect))
        }
        return fields
    }

    /// The marks of each page, found once per signing however many stamps look for room on it.
    final class PageInks {
        let document: PDFDocument
        private var byPage: [Int: PageInk] = [:]

        init(document: PDFDocument) { self.document = document }

        func ink(of page: Page, at index: Int) throws -> PageInk {
            if let known = byPage[index] { return known }
            let ink = try document.ink(of: page)
            byPage[index] = ink
            return ink
        }
    }

    static func overlaps(_ a: [Double], _ b: [Double]) -> Bool {
        a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
    }

    /// Where the stamp goes and at what QR size (see `StampPosition`).
    struct StampSpot {
        var placement: (rect: [Double], matrix: [Double]?)
        var qrSize: Double
        var appendedPage: AppendedPage?
    }

    /// Explicit `x`/`y`: exactly there, refused if the stamp would leave the
    /// page. `.newPage`: on an appended verification page. `.auto`: the first
    /// blank spot of the page (`PageInk`, `StampPlacement.findSpace`) at the
    /// requested size, or smaller down to the smallest QR that decodes at
    /// 150 dpi; refused when there is none.
    static func stampSpot(document: PDFDocument, page: Page, pageIndex: Int, modules: Int, inks: PageInks,
                          position: StampPosition, fileLabel: String, settings: AuthoritySettings,
                          alsoOccupied: [[Double]] = [], signer: Int? = nil) throws -> StampSpot {
        let cropBox = [page.cropBox.llx, page.cropBox.lly, page.cropBox.urx, page.cropBox.ury]
        func size(_ qr: Double) -> (width: Double, height: Double) {
            (qr * (1 + StampRenderer.captionWidthRatio), qr)
        }
        if let x = position.x, let y = position.y {
            let stamp = size(position.size)
            guard x.isFinite, y.isFinite, x >= 0, y >= 0, x + stamp.width <= page.displayWidth + 0.01,
                  y + stamp.height <= page.displayHeight + 0.01 else {
                throw AuthorityError(.usage, "--x \(Self.points(x)) --y \(Self.points(y)) puts the \(Self.points(stamp.width))×\(Self.points(stamp.height))-point stamp outside page \(pageIndex + 1) of \(fileLabel), which is \(Self.points(page.displayWidth))×\(Self.points(page.displayHeight)) points as displayed")
            }
            return StampSpot(placement: try StampPlacement.place(cropBox: cropBox, rotate: page.rotate, size: stamp,
                                                                 at: (x: x, y: y)),
                             qrSize: position.size)
        }
        if position.placement == .newPage {
            return try newPageSpot(like: page, qrSize: position.size, settings: settings)
        }
        let smallest = min(position.size, StampRenderer.minimumQRSize(modules: modules))
        var sizes = stride(from: position.size, to: smallest, by: -8).map { $0 }
        sizes.append(smallest)
        let ink: PageInk
        do {
            ink = try inks.ink(of: page, at: pageIndex)
        } catch {
            throw AuthorityError(.refused, "page \(pageIndex + 1) of \(fileLabel) cannot be read to find blank space for the stamp; use --placement new-page or --x/--y")
        }
        if !ink.coversPage, let found = try StampPlacement.findSpace(cropBox: cropBox, rotate: page.rotate,
                                                                     occupied: ink.boxes + alsoOccupied,
                                                                     sizes: sizes.map(size)) {
            return StampSpot(placement: (found.rect, found.matrix), qrSize: sizes[found.sizeIndex])
        }
        let least = size(smallest)
        let whose = signer.map { "signer \($0)'s stamp beside the others" } ?? "the stamp"
        throw AuthorityError(.refused, "page \(pageIndex + 1) of \(fileLabel) has no blank area of \(Self.points(least.width))×\(Self.points(least.height)) points for \(whose), so nothing was signed; use --placement new-page to add a verification page, or --x and --y to choose the spot")
    }

    /// A page the size of `page` (as displayed; A4 if that is small), with a heading and a note
    /// in both languages, and the stamp under them.
    private static func newPageSpot(like page: Page, qrSize: Double, settings: AuthoritySettings) throws -> StampSpot {
        // The document's page size, unless it is too small for the note and the stamp (then A4).
        let fits = page.displayWidth >= 400 && page.displayHeight >= 400
        let width = fits ? page.displayWidth : 595, height = fits ? page.displayHeight : 842
        let layout = VerificationPage.render(
            title: "Verifikasi dokumen / Document verification",
            lines: ["Halaman ini ditambahkan oleh \(settings.name) saat dokumen ditandatangani secara elektronik. Pindai kode QR atau buka \(settings.baseURL) untuk memeriksa keaslian dan status dokumen.",
                    "This page was added by \(settings.name) when the document was signed electronically. Scan the QR code or open \(settings.baseURL) to check the document's authenticity and status."],
            width: width, height: height)
        let stamp = (width: qrSize * (1 + StampRenderer.captionWidthRatio), height: qrSize)
        let x = 56.0, y = max(24, layout.textBottom - 16 - stamp.height)
        let box = [0, 0, width, height]
        let placement = try StampPlacement.place(cropBox: box, rotate: 0, size: stamp, at: (x: x, y: y))
        return StampSpot(placement: placement, qrSize: qrSize,
                         appendedPage: AppendedPage(mediaBox: box, content: layout.content, resources: StampResources.dictionary))
    }

    private static func points(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// A timestamp token from `tsa`; a TSA that cannot answer stops the signing.
    static func token(from tsa: any TimestampAuthority, sha256 imprint: Data, at now: Date) throws -> Data {
        do {
            return try tsa.token(sha256: imprint, at: now)
        } catch let error as PKIError {
            throw AuthorityError(.io, "the time-stamping authority gave no usable timestamp (\(error.message)); nothing was signed")
        }
    }

    /// B-LTA: an invisible document timestamp (ISO 32000-2 §12.8.5) over the whole file.
    private static func closeWithDocumentTimestamp(_ pdf: Data, tsa: any TimestampAuthority, fileLabel: String,
                                                   now: Date) throws -> Data {
        let request = SignatureRequest(
            fieldName: "Segel-DocTimeStamp-\(Int(now.timeIntervalSince1970))", name: nil, reason: nil, location: nil,
            contactInfo: nil, signingTime: now, subFilter: "ETSI.RFC3161", contentsCapacity: contentsCapacity,
            appearance: nil, type: "DocTimeStamp")
        let prepared: PreparedSignature
        do {
            prepared = try PDFSigner.prepare(pdf, request: request)
        } catch let error as PDFError {
            throw AuthorityError(.refused, "\(fileLabel): the document timestamp cannot be added: \(error.description)")
        }
        let hasher = SHA256Hasher()
        for part in prepared.signedRanges() { hasher.update(part) }
        return try prepared.embed(cms: token(from: tsa, sha256: hasher.finalize(), at: now))
    }

    /// Reads the input once for its pages; the PDF module's messages name the
    /// object or offset, this names the file.
    static func open(_ input: Data, fileLabel: String) throws -> PDFDocument {
        do {
            return try PDFDocument(data: input, options: .tolerant)
        } catch let error as PDFError where error.code == .passwordRequired {
            throw AuthorityError(.refused, "\(fileLabel) is protected by a password; remove the password and submit it again")
        } catch let error as PDFError {
            throw AuthorityError(.refused, "\(fileLabel) cannot be read as a PDF: \(error.description)")
        }
    }

    /// "2026-12-07 05:21 WIB (UTC+7)": the authority's time zone, named as the portal names it.
    static func captionDate(_ date: Date, zone: TimeZone = TimeZone(identifier: "UTC")!) -> String {
        // gmtime_r on the shifted time rather than a DateFormatter: building one costs ~0.3 ms per document.
        let offset = zone.secondsFromGMT(for: date)
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down)) + time_t(offset)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)) \(ZoneLabel.withOffset(zone, at: date))"
    }
}
