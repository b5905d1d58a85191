import ArgumentParser
import Authority
import Foundation
import PKI
import Portal
import Record
import Registry

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a self-contained sample authority, sign sample documents and publish its portal.",
        discussion: """
        Creates a demo authority in --home (default $SEGEL_HOME, else ./.segel-demo) with three \
        approvers and eight students, takes --documents sample PDFs (transcripts, letters, \
        certificates) through the workflow — one rejected and resubmitted, some invalidated, one \
        key revoked — signs them and publishes the portal to --site. A home that exists and was \
        not made by `segel demo` is refused; an earlier demo home is replaced. The CA passphrase \
        comes from $SEGEL_PASSPHRASE or --passphrase-file; without either, one is generated and \
        written to <home>/demo-passphrase (mode 0600).
        """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "How many documents to sign.")
    var documents: Int = 12

    @Option(help: ArgumentHelp("Site folder to publish to.", valueName: "DIR"))
    var site: String = "site"

    @Option(name: .customLong("base-url"), help: ArgumentHelp("Where the site will be served; the QR codes point there.", valueName: "URL"))
    var baseURL: String = "http://127.0.0.1:8000"

    @Option(name: .customLong("key-type"), help: "Per-document key: rsa2048 (default), rsa3072 or p256.")
    var keyType: KeyType = .rsa2048

    @Option(help: "Language of the pages: id (default) or en.")
    var locale: PortalLocale = .id

    @Flag(name: .customLong("no-publish"), help: "Create the authority and sign the documents, but do not publish.")
    var noPublish = false

    func validate() throws {
        guard (1...10_000).contains(documents) else { throw ValidationError("--documents must be between 1 and 10000") }
    }

    /// The marker that says a home was made by `segel demo` and may be replaced.
    static let markerName = "demo-home"
    static let passphraseName = "demo-passphrase"

    var homeURL: URL {
        if let home = global.home { return URL(fileURLWithPath: home).standardizedFileURL }
        if let env = ProcessInfo.processInfo.environment["SEGEL_HOME"], !env.isEmpty {
            return URL(fileURLWithPath: env).standardizedFileURL
        }
        return URL(fileURLWithPath: ".segel-demo").standardizedFileURL
    }

    func run() async throws {
        let home = AuthorityHome(homeURL)
        try prepareHome(home)
        let (passphrase, generated) = try demoPassphrase(home)
        let siteURL = URL(fileURLWithPath: site).standardizedFileURL

        Console.note("demo: creating the authority \"Universitas Nusantara\" in \(home.url.path)")
        var settings = AuthoritySettings(name: "Universitas Nusantara", baseURL: baseURL, siteDirectory: siteURL.path)
        settings.crlValidityDays = 7
        let authority = try Authority.initialize(home: home, settings: settings, passphrase: passphrase)
        try Data("segel demo home; `segel demo` may replace this folder\n".utf8)
            .write(to: home.url.appendingPathComponent(Self.markerName))
        if generated {
            try AtomicFile.write(Data((passphrase + "\n").utf8),
                                 to: home.url.appendingPathComponent(Self.passphraseName), permissions: 0o600)
            Console.note("demo: generated a CA passphrase in \(home.url.appendingPathComponent(Self.passphraseName).path) (mode 0600)")
        }

        let population = DemoPopulation(authority: authority, passphrase: passphrase, keyType: keyType)
        let signed = try population.run(documents: documents)
        if noPublish {
            if global.json {
                try Console.json(DemoReport(home: home.url.path, site: siteURL.path, passphraseFile: generated
                                                ? home.url.appendingPathComponent(Self.passphraseName).path : nil,
                                            documents: signed, publish: nil))
            }
            Console.note("demo: \(signed.count) document(s) signed in \(home.url.path); publish with `segel publish`")
            return
        }

        Console.note("demo: publishing the portal to \(siteURL.path)")
        var options = PublishOptions(site: siteURL)
        options.locale = locale
        options.crlValidityDays = settings.crlValidityDays
        options.timeZone = settings.zone
        let progress = ProgressLine()
        options.progress = { progress.update($0) }
        let source = try authority.publishSource(passphrase: { passphrase })
        let summary: PublishSummary
        do {
            summary = try SitePublisher(source: source, options: options).publish()
        } catch {
            progress.finish()
            throw error
        }
        progress.finish()

        let example = signed.first { $0.status == "valid" } ?? signed[0]
        if global.json {
            try Console.json(DemoReport(home: home.url.path, site: summary.site,
                                        passphraseFile: generated ? home.url.appendingPathComponent(Self.passphraseName).path : nil,
                                        documents: signed, publish: summary))
        }
        // Name the executables by the path this one was run from, so the commands work
        // before anything is installed on PATH (`scripts/demo` runs .build/release/segel).
        let invoked = CommandLine.arguments.first ?? "segel"
        let binDirectory = invoked.contains("/")
            ? URL(fileURLWithPath: invoked).deletingLastPathComponent().standardizedFileURL.path + "/" : ""
        let segelCommand = shellQuoted(binDirectory + "segel")
        let verifyCommand = shellQuoted(binDirectory + "segel-verify")
        // The counts `segel stats` and the portal show, from the same registry query.
        let counts = try authority.registry.statistics().documentsByStatus
        Console.note("""
            demo: \(signed.count) document(s) signed (\(counts[PublicStatus.invalidated.rawValue] ?? 0) invalidated, \
            \(counts[PublicStatus.revoked.rawValue] ?? 0) with their key revoked); \(summary.written) file(s) written to \(summary.site)

            Open the portal:
              python3 -m http.server -d \(shellQuoted(summary.site)) 8000
              then http://127.0.0.1:8000/  (a document page: http://127.0.0.1:8000/\(DocumentAddress(token: example.token, layout: .sharded).page))

            Verify a signed PDF offline:
              \(verifyCommand) \(shellQuoted(example.signedPDF)) --site \(shellQuoted(summary.site))

            Check the public issuance log as a monitor would:
              \(segelCommand) log verify --site \(shellQuoted(summary.site))

            Keep working with this authority:
              export SEGEL_HOME=\(shellQuoted(home.url.path))\(generated ? " SEGEL_PASSPHRASE=$(cat \(shellQuoted(home.url.appendingPathComponent(Self.passphraseName).path)))" : "")
              \(segelCommand) stats; \(segelCommand) publish --site \(shellQuoted(summary.site))
            """)
    }

    /// Refuses a home that is not a demo home; replaces an earlier demo home.
    private func prepareHome(_ home: AuthorityHome) throws {
        let manager = FileManager.default
        guard manager.fileExists(atPath: home.url.path) else { return }
        let contents = (try? manager.contentsOfDirectory(atPath: home.url.path)) ?? []
        if contents.isEmpty { return }
        guard contents.contains(Self.markerName) else {
            throw AuthorityError(.refused,
                "\(home.url.path) exists and was not made by `segel demo`; choose another --home for the demo")
        }
        Console.note("demo: replacing the earlier demo home \(home.url.path)")
        do {
            try manager.removeItem(at: home.url)
        } catch {
            throw AuthorityError(.io, "cannot remove the earlier demo home \(home.url.path): \(error.localizedDescription)")
        }
    }

    /// The passphrase from the usual sources, or a generated one (then `generated` is true).
    private func demoPassphrase(_ home: AuthorityHome) throws -> (String, generated: Bool) {
        if global.passphraseFile != nil || !(ProcessInfo.processInfo.environment["SEGEL_PASSPHRASE"] ?? "").isEmpty {
            return (try global.passphrase(), false)
        }
        return (try Random.token(byteCount: 18), true)
    }
}

/// One signed demo document, as `--json` reports it.
struct DemoDocument: Codable, Sendable {
    var token: String
    var name: String
    var requester: String
    var status: String
    var signedPDF: String

    enum CodingKeys: String, CodingKey {
        case token, name, requester, status
        case signedPDF = "signed_pdf"
    }
}

struct DemoReport: Codable {
    var home: String
    var site: String
    var passphraseFile: String?
    var documents: [DemoDocument]
    /// Absent with --no-publish.
    var publish: PublishSummary?

    enum CodingKeys: String, CodingKey {
        case home, site, documents, publish
        case passphraseFile = "passphrase_file"
    }
}

/// The demo's people and documents, taken through the real workflow.
struct DemoPopulation {
    let authority: Authority
    let passphrase: String
    let keyType: KeyType

    static let approvers: [(name: String, email: String, nidn: String, title: String)] = [
        ("Dr. Rina Kusumawardani, S.T., M.Kom.", "rina.kusumawardani@nusantara.example.ac.id", "0512078301",
         "Ketua Program Studi Informatika"),
        ("Prof. Dr. Ir. Bambang Setiawan, M.Eng.", "bambang.setiawan@nusantara.example.ac.id", "0023016502",
         "Dekan Fakultas Teknik"),
        ("Dr. Siti Nurhaliza Rahmawati, M.Sc.", "siti.rahmawati@nusantara.example.ac.id", "0607088004",
         "Wakil Dekan Bidang Akademik"),
    ]

    static let students: [(name: String, nim: String, programme: String)] = [
        ("Andi Pratama", "21523001", "Informatika"),
        ("Putri Ayu Lestari", "21523017", "Informatika"),
        ("Muhammad Rizki Ramadhan", "20524042", "Teknik Elektro"),
        ("Dewi Anggraini Siregar", "21523088", "Informatika"),
        ("Fajar Nugroho", "19525103", "Teknik Industri"),
        ("Intan Permatasari", "22523005", "Informatika"),
        ("Yohanes Kristianto Wibowo", "20524077", "Teknik Elektro"),
        ("Ni Luh Putu Ayu Saraswati", "21525019", "Teknik Industri"),
    ]

    func run(documents count: Int) throws -> [DemoDocument] {
        let registry = authority.registry
        let approvers = try Self.approvers.map {
            try registry.addApprover(name: $0.name, email: $0.email, nidn: $0.nidn, title: $0.title)
        }
        let users = try Self.students.map { student in
            let email = student.name.lowercased().split(separator: " ").prefix(2).joined(separator: ".")
                + "@students.nusantara.example.ac.id"
            return try registry.addUser(name: student.name, email: email, nim: student.nim)
        }
        Console.note("demo: added \(approvers.count) approvers and \(users.count) students")

        let inputs = authority.home.url.appendingPathComponent("demo-inputs", isDirectory: true)
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        let signer = try authority.signer(passphrase: passphrase)
        let kinds = SampleDocuments.Kind.allCases
        let now = Date()

        var results: [(DemoDocument, SigningResult)] = []
        for index in 0..<count {
            let kind = kinds[index % kinds.count]
            let studentIndex = index % users.count
            let student = Self.students[studentIndex]
            let approverIndex = index % approvers.count
            let approver = approvers[approverIndex]
            func sample(seed: Int) throws -> URL {
                let data = SampleDocuments.make(
                    kind, institution: authority.settings.name,
                    student: .init(name: student.name, nim: student.nim, programme: student.programme),
                    signer: approver.name, signerTitle: Self.approvers[approverIndex].title, date: now, seed: seed)
                let url = inputs.appendingPathComponent("\(index + 1)-\(kind.rawValue)-v\(seed / 1000 + 1).pdf")
                try data.write(to: url)
                return url
            }
            // The third document is signed by two approvers in turn (the head of study programme, then the next).
            let cosigner = index == 2 && approvers.count > 1 ? approvers[(approverIndex + 1) % approvers.count] : nil
            let request = try authority.submit(file: try sample(seed: index), user: student.nim, name: kind.documentName,
                                               type: kind.documentType,
                                               notes: cosigner == nil ? "Permohonan demo" : "Permohonan demo, dua penanda tangan",
                                               signers: [approver.email] + (cosigner.map { [$0.email] } ?? []))
            if index == 1 {
                _ = try registry.reject(request: request.id, by: approver.id,
                                        reason: "Nilai mata kuliah Basis Data belum diperbarui; mohon unggah versi terbaru")
                _ = try authority.resubmit(request: request.id, file: try sample(seed: index + 1000))
                Console.note("demo: request \(request.id) rejected and resubmitted with a corrected file")
            }
            _ = try registry.approve(request: request.id, by: approver.id, notes: "Data sudah diperiksa")
            var result = try authority.sign(request: request.id, with: signer,
                                            options: SigningOptions(keyType: keyType))
            if let cosigner {
                _ = try registry.approve(request: request.id, by: cosigner.id, notes: "Disetujui")
                result = try authority.sign(request: request.id, with: signer, options: SigningOptions(keyType: keyType))
                Console.note("demo: request \(request.id) signed by \(approver.name), then \(cosigner.name)")
            }
            results.append((DemoDocument(token: result.token, name: kind.documentName, requester: student.name,
                                         status: "valid", signedPDF: result.signedPDF), result))
            Console.note("demo: signed \(index + 1)/\(count): \(kind.documentName) for \(student.name) (\(result.signatureID))")
        }

        // Some documents are withdrawn, and one key is treated as compromised.
        for index in [3, 7] where index < results.count {
            _ = try registry.invalidate(token: results[index].1.token,
                                        reason: "Diterbitkan ulang karena kesalahan penulisan data mahasiswa")
            results[index].0.status = "invalidated"
            Console.note("demo: invalidated \(results[index].0.name) for \(results[index].0.requester)")
        }
        if results.count > 5 {
            _ = try registry.revokeKey(signatureID: results[5].1.signatureID,
                                       reason: "Kunci penandatangan diduga bocor")
            results[5].0.status = "revoked"
            Console.note("demo: revoked the key \(results[5].1.signatureID)")
        }

        // One request is left waiting for approval, as in real life.
        let waiting = Self.students[count % Self.students.count]
        let pending = SampleDocuments.make(.enrolmentLetter, institution: authority.settings.name,
                                           student: .init(name: waiting.name, nim: waiting.nim, programme: waiting.programme),
                                           signer: approvers[0].name, signerTitle: Self.approvers[0].title,
                                           date: now, seed: count)
        let pendingURL = inputs.appendingPathComponent("pending-letter.pdf")
        try pending.write(to: pendingURL)
        _ = try authority.submit(file: pendingURL, user: waiting.nim, name: SampleDocuments.Kind.enrolmentLetter.documentName,
                                 type: SampleDocuments.Kind.enrolmentLetter.documentType, notes: "Menunggu persetujuan")
        return results.map(\.0)
    }
}
