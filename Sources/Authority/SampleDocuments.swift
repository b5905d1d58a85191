import Foundation
import PDF
import Stamp

/// Realistic sample documents for `segel demo` and the tests: one-page A4
/// PDFs (ISO 32000-2) with several blocks of text set in the standard 14 fonts
/// Helvetica and Helvetica-Bold under WinAnsiEncoding (§9.6.2.2, Annex D.2),
/// so nothing is embedded. The lower right of the page is left empty for the
/// QR stamp that signing adds there by default.
///
/// The output depends only on the arguments: the same student and date give
/// the same bytes.
public enum SampleDocuments {
    /// What a sample is.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// "Transkrip Nilai": a table of courses, credits and grades.
        case transcript
        /// "Surat Keterangan Aktif Kuliah": a letter.
        case enrolmentLetter
        /// "Sertifikat": a certificate of completion.
        case certificate

        /// The document name the requester gives, in Indonesian.
        public var documentName: String {
            switch self {
            case .transcript: "Transkrip Nilai"
            case .enrolmentLetter: "Surat Keterangan Aktif Kuliah"
            case .certificate: "Sertifikat Kompetensi"
            }
        }

        /// The `--type` recorded with the request.
        public var documentType: String {
            switch self {
            case .transcript: "Transkrip"
            case .enrolmentLetter: "Surat Keterangan"
            case .certificate: "Sertifikat"
            }
        }
    }

    /// Who the document is about.
    public struct Student: Sendable, Hashable {
        public var name: String
        public var nim: String
        public var programme: String

        public init(name: String, nim: String, programme: String) {
            self.name = name
            self.nim = nim
            self.programme = programme
        }
    }

    /// One sample PDF. `seed` varies the grades and numbers so documents of
    /// the same kind differ; `date` is printed and set as the creation date.
    public static func make(_ kind: Kind, institution: String, student: Student, signer: String,
                            signerTitle: String, date: Date, seed: Int) -> Data {
        var page = PageText()
        page.header(institution: institution, programme: student.programme)
        switch kind {
        case .transcript: transcript(&page, student: student, seed: seed)
        case .enrolmentLetter: letter(&page, institution: institution, student: student, seed: seed, date: date)
        case .certificate: certificate(&page, institution: institution, student: student, seed: seed)
        }
        page.signatureBlock(place: "Yogyakarta", date: date, title: signerTitle, name: signer)
        return page.pdf(title: "\(kind.documentName) \(student.name)", author: institution, date: date)
    }

    // MARK: - The three layouts

    private static let courses: [(String, String, Int)] = [
        ("INF101", "Algoritma dan Pemrograman", 4), ("INF102", "Matematika Diskrit", 3),
        ("INF103", "Pengantar Teknologi Informasi", 2), ("INF201", "Struktur Data", 4),
        ("INF202", "Basis Data", 3), ("INF203", "Sistem Operasi", 3),
        ("INF204", "Jaringan Komputer", 3), ("INF301", "Rekayasa Perangkat Lunak", 3),
        ("INF302", "Kecerdasan Buatan", 3), ("INF303", "Keamanan Informasi", 3),
        ("INF304", "Pemrograman Web", 3), ("UMU101", "Pendidikan Pancasila", 2),
        ("UMU102", "Bahasa Indonesia", 2), ("UMU103", "Bahasa Inggris Akademik", 2),
    ]
    private static let grades: [(String, Double)] = [("A", 4), ("A-", 3.7), ("B+", 3.3), ("B", 3), ("B-", 2.7), ("C+", 2.3)]

    private static func transcript(_ page: inout PageText, student: Student, seed: Int) {
        page.title("TRANSKRIP NILAI AKADEMIK")
        page.field("Nama", student.name)
        page.field("NIM", student.nim)
        page.field("Program Studi", student.programme)
        page.gap(8)
        let columns: [(String, Double, PageText.Align)] = [
            ("Kode", 72, .left), ("Mata Kuliah", 130, .left), ("SKS", 420, .right), ("Nilai", 470, .right), ("Mutu", 523, .right),
        ]
        page.tableRow(columns.map { ($0.0, $0.1, $0.2) }, bold: true)
        page.rule()
        var generator = SeededGenerator(seed: seed)
        var credits = 0, points = 0.0
        for (code, name, sks) in courses {
            let grade = grades[generator.next(grades.count)]
            credits += sks
            points += Double(sks) * grade.1
            page.tableRow([(code, 72, .left), (name, 130, .left), (String(sks), 420, .right),
                           (grade.0, 470, .right), (format(Double(sks) * grade.1), 523, .right)], bold: false)
        }
        page.rule()
        page.tableRow([("Jumlah", 130, .left), (String(credits), 420, .right), (format(points), 523, .right)], bold: true)
        page.gap(4)
        page.field("Indeks Prestasi Kumulatif", format(points / Double(credits)))
    }

    private static func letter(_ page: inout PageText, institution: String, student: Student, seed: Int, date: Date) {
        page.title("SURAT KETERANGAN AKTIF KULIAH")
        page.centered("Nomor: \(100 + seed % 800)/UN.FT/KM/\(PageText.year(date))", size: 10)
        page.gap(12)
        page.paragraph("Yang bertanda tangan di bawah ini menerangkan bahwa:")
        page.gap(4)
        page.field("Nama", student.name)
        page.field("NIM", student.nim)
        page.field("Program Studi", student.programme)
        page.field("Semester", String(3 + seed % 6))
        page.gap(6)
        page.paragraph("adalah benar mahasiswa \(institution) yang terdaftar dan aktif mengikuti perkuliahan "
                       + "pada semester berjalan tahun akademik \(PageText.year(date) - 1)/\(PageText.year(date)).")
        page.gap(4)
        page.paragraph("Surat keterangan ini diberikan untuk keperluan pengajuan beasiswa dan dapat "
                       + "dipergunakan sebagaimana mestinya.")
    }

    private static func certificate(_ page: inout PageText, institution: String, student: Student, seed: Int) {
        let topics = ["Pengembangan Aplikasi Web", "Analisis Data", "Keamanan Jaringan", "Komputasi Awan"]
        page.gap(20)
        page.centered("SERTIFIKAT", size: 26, bold: true)
        page.centered("Nomor: SERT/\(2000 + seed)/FT", size: 10)
        page.gap(18)
        page.centered("diberikan kepada", size: 12)
        page.gap(6)
        page.centered(student.name, size: 20, bold: true)
        page.centered("NIM \(student.nim)", size: 11)
        page.gap(14)
        page.centered("atas keberhasilannya menyelesaikan pelatihan dan uji kompetensi", size: 12)
        page.centered(topics[seed % topics.count], size: 14, bold: true)
        page.centered("yang diselenggarakan oleh \(institution) selama 40 jam pelajaran.", size: 12)
    }

    private static func format(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100),\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

/// A small deterministic generator (SplitMix64), so samples vary by seed
/// without depending on the system's random numbers.
struct SeededGenerator {
    private var state: UInt64

    init(seed: Int) {
        state = UInt64(bitPattern: Int64(seed)) &+ 0x9E37_79B9_7F4A_7C15
    }

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(bound))
    }
}

/// Lays out lines of text top to bottom on an A4 page and writes the PDF.
struct PageText {
    enum Align { case left, right, center }

    static let width = 595.0, height = 842.0, margin = 72.0
    private(set) var content = ""
    private var y = 842.0 - 64

    static func year(_ date: Date) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Jakarta")!
        return calendar.component(.year, from: date)
    }

    mutating func text(_ text: String, x: Double, size: Double, bold: Bool = false, align: Align = .left) {
        let font: StampFont = bold ? .bold : .regular
        let bytes = WinAnsi.encode(text)
        let width = font.width(of: bytes, fontSize: size)
        let left: Double
        switch align {
        case .left: left = x
        case .right: left = x - width
        case .center: left = x - width / 2
        }
        content += "BT /\(font.resourceName) \(number(size)) Tf \(number(left)) \(number(y)) Td \(WinAnsi.literalString(bytes)) Tj ET\n"
    }

    mutating func header(institution: String, programme: String) {
        text(institution.uppercased(), x: Self.width / 2, size: 15, bold: true, align: .center)
        y -= 17
        text("Fakultas Teknik · Program Studi \(programme)", x: Self.width / 2, size: 10.5, align: .center)
        y -= 13
        text("Jl. Kaliurang Km 14,5, Sleman, Yogyakarta 55584 · Telp. (0274) 895287", x: Self.width / 2, size: 9, align: .center)
        y -= 9
        content += "1.2 w \(number(Self.margin)) \(number(y)) m \(number(Self.width - Self.margin)) \(number(y)) l S\n"
        y -= 28
    }

    mutating func title(_ title: String) {
        text(title, x: Self.width / 2, size: 14, bold: true, align: .center)
        y -= 26
    }

    mutating func centered(_ line: String, size: Double, bold: Bool = false) {
        text(line, x: Self.width / 2, size: size, bold: bold, align: .center)
        y -= size * 1.45
    }

    mutating func field(_ label: String, _ value: String) {
        text(label, x: Self.margin, size: 11)
        text(": \(value)", x: Self.margin + 150, size: 11, bold: label == "Nama")
        y -= 16
    }

    mutating func tableRow(_ cells: [(String, Double, Align)], bold: Bool) {
        for (value, x, align) in cells { text(value, x: x, size: 10, bold: bold, align: align) }
        y -= 14.5
    }

    mutating func rule() {
        content += "0.5 w \(number(Self.margin)) \(number(y + 10)) m \(number(Self.width - Self.margin)) \(number(y + 10)) l S\n"
        y -= 3
    }

    mutating func gap(_ points: Double) { y -= points }

    /// Wraps `text` to the text width, 11 pt Helvetica.
    mutating func paragraph(_ text: String) {
        let size = 11.0, limit = Self.width - 2 * Self.margin
        var line = ""
        for word in text.split(separator: " ") {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if StampFont.regular.width(of: WinAnsi.encode(candidate), fontSize: size) > limit, !line.isEmpty {
                self.text(line, x: Self.margin, size: size)
                y -= 15.5
                line = String(word)
            } else {
                line = candidate
            }
        }
        if !line.isEmpty {
            self.text(line, x: Self.margin, size: size)
            y -= 15.5
        }
    }

    /// Place, date, the signer's title and name, on the left so that the
    /// stamp fits in the lower right.
    mutating func signatureBlock(place: String, date: Date, title: String, name: String) {
        y = min(y - 24, 250)
        text("\(place), \(Self.indonesianDate(date))", x: Self.margin, size: 11)
        y -= 15
        text(title, x: Self.margin, size: 11)
        y -= 15
        text("Ditandatangani secara elektronik", x: Self.margin, size: 9)
        y -= 40
        text(name, x: Self.margin, size: 11, bold: true)
    }

    static func indonesianDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Jakarta")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        let months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                      "September", "Oktober", "November", "Desember"]
        return "\(parts.day ?? 1) \(months[(parts.month ?? 1) - 1]) \(parts.year ?? 1970)"
    }

    private func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// The whole file: catalog, page tree, one page, two fonts, the content
    /// stream, an Info dictionary; classic cross-reference table (§7.5.4).
    func pdf(title: String, author: String, date: Date) -> Data {
        func font(_ base: String) -> PDFObject {
            .dictionary(["Type": .name("Font"), "Subtype": .name("Type1"), "BaseFont": .name(base),
                         "Encoding": .name("WinAnsiEncoding")])
        }
        let objects: [PDFObject] = [
            .dictionary(["Type": .name("Catalog"), "Pages": .reference(ObjectRef(number: 2))]),
            .dictionary(["Type": .name("Pages"), "Kids": .array([.reference(ObjectRef(number: 3))]), "Count": .integer(1)]),
            .dictionary([
                "Type": .name("Page"), "Parent": .reference(ObjectRef(number: 2)),
                "MediaBox": .array([.integer(0), .integer(0), .integer(Int(Self.width)), .integer(Int(Self.height))]),
                "Resources": .dictionary(["Font": .dictionary(["F1": .reference(ObjectRef(number: 4)),
                                                               "F2": .reference(ObjectRef(number: 5))])]),
                "Contents": .reference(ObjectRef(number: 6)),
            ]),
            font("Helvetica"),
            font("Helvetica-Bold"),
            .stream(PDFStream(dictionary: [:], data: Data(content.utf8))),
            .dictionary(["Title": .text(title), "Author": .text(author), "Producer": .text("segel demo"),
                         "CreationDate": .text(PDFDate.string(from: date))]),
        ]
        var out = Data("%PDF-1.7\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(out.count)
            out.append(Data("\(index + 1) 0 obj\n".utf8))
            object.write(into: &out)
            out.append(Data("\nendobj\n".utf8))
        }
        let xref = out.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets {
            let digits = String(offset)
            table += String(repeating: "0", count: 10 - digits.count) + digits + " 00000 n \n"
        }
        out.append(Data(table.utf8))
        out.append(Data("trailer\n".utf8))
        PDFObject.dictionary(["Size": .integer(objects.count + 1), "Root": .reference(ObjectRef(number: 1)),
                              "Info": .reference(ObjectRef(number: 7))]).write(into: &out)
        out.append(Data("\nstartxref\n\(xref)\n%%EOF\n".utf8))
        return out
    }
}
