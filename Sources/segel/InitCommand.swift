import ArgumentParser
import Authority
import Foundation
import PKI

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an authority: its registry and its root CA.",
        discussion: """
        Creates --home with a root CA (ECDSA P-256 by default, or RSA-3072 with --ca-key-type \
        rsa3072; valid 10 years) whose key is encrypted under the passphrase ($SEGEL_PASSPHRASE \
        or --passphrase-file) and stored with mode 0600. Per-document keys are chosen when \
        signing (--key-type, RSA-2048 by default). The authority is also its own \
        time-stamping authority: a P-256 TSA key, encrypted the same way, with a certificate \
        from the CA (extended key usage timeStamping); --tsa URL names an external RFC 3161 \
        server to use instead (each signing command can override it).
        """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("The institution's name, as certificates and pages show it.", valueName: "NAME"))
    var name: String

    @Option(name: .customLong("base-url"), help: ArgumentHelp("Where the portal will be served; QR codes point to <base-url>/v/<token>/.", valueName: "URL"))
    var baseURL: String

    @Option(help: ArgumentHelp("Default folder for `segel publish`.", valueName: "DIR"))
    var site: String = "site"

    @Flag(name: .customLong("retain-keys"), help: "Keep each per-document private key, encrypted under the passphrase (default: discard after signing).")
    var retainKeys = false

    @Option(name: .customLong("leaf-validity-days"), help: "Validity of each per-document certificate.")
    var leafValidityDays: Int = 1095

    @Option(name: .customLong("ca-key-type"), help: "The CA's key: p256 (default) or rsa3072.")
    var caKeyType: KeyType = .p256

    @Option(help: ArgumentHelp("An external RFC 3161 time-stamping server for every signature (default: the authority's own TSA).", valueName: "URL"))
    var tsa: String?

    @Option(name: .customLong("time-zone"), help: ArgumentHelp("The authority's time zone (IANA name, default Asia/Jakarta, shown as WIB): the stamp, the pages and the upload check show times in it.", valueName: "TZ"))
    var timeZone: String = "Asia/Jakarta"

    @Option(name: .customLong("tsa-root"), help: ArgumentHelp("With --tsa: the external TSA's root CA certificate (PEM or DER); its tokens must chain to it, and verifiers take them as the signing time.", valueName: "FILE"))
    var tsaRoot: String?

    func validate() throws {
        if tsaRoot != nil && tsa == nil { throw ValidationError("--tsa-root goes with --tsa") }
        if TimeZone(identifier: timeZone) == nil { throw ValidationError("--time-zone \(timeZone) is not a known time zone") }
        guard caKeyType == .p256 || caKeyType == .rsa3072 else {
            throw ValidationError("--ca-key-type must be p256 or rsa3072")
        }
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--name must not be empty") }
        guard leafValidityDays > 0 else { throw ValidationError("--leaf-validity-days must be positive") }
    }

    func run() async throws {
        var settings = AuthoritySettings(name: name, baseURL: baseURL,
                                         siteDirectory: URL(fileURLWithPath: site).standardizedFileURL.path)
        settings.retainKeys = retainKeys
        settings.leafValidityDays = leafValidityDays
        settings.tsaURL = tsa
        settings.timeZone = timeZone
        // Read before anything is created.
        let roots = try tsaRoot.map(readTimestampingRoots) ?? []
        let authority = try Authority.initialize(home: global.authorityHome, settings: settings,
                                                 passphrase: try global.passphrase(), caKeyType: caKeyType)
        for root in roots { try authority.trustTimestampingRoot(root) }
        let ca = try authority.caCertificate()
        if global.json {
            try Console.json(["home": authority.home.url.path, "ca_certificate": authority.currentCA.certificate.path,
                              "ca_fingerprint_sha256": ca.sha256Fingerprint, "base_url": settings.baseURL])
        } else {
            Console.note("Created the authority \"\(name)\" in \(authority.home.url.path)")
            Console.note("CA certificate: \(authority.currentCA.certificate.path)")
            Console.note("CA fingerprint (SHA-256): \(ca.sha256Fingerprint)")
            Console.note("Next: segel approver add --name … --email … --nidn …")
        }
    }
}
