import Foundation
import GRDB

extension Registry {
    /// Creates the single `authority` row (`segel init`).
    ///
    /// `baseURL` must be an http(s) URL; a trailing slash is dropped so that
    /// verification URLs are `<baseURL>/v/<token>/`.
    @discardableResult
    public func initialize(authority setup: AuthoritySetup) throws -> AuthorityInfo {
        let name = try Validate.text(setup.name, "the authority name")
        var baseURL = setup.baseURL.trimmingCharacters(in: .whitespacesAndNewlines)
        while baseURL.hasSuffix("/") { baseURL.removeLast() }
        guard let url = URL(string: baseURL), let scheme = url.scheme?.lowercased(),
              scheme == "https" || scheme == "http", url.host != nil else {
            throw RegistryError(.badInput, "the base URL \"\(setup.baseURL)\" is not an http(s) URL")
        }
        let siteDir = try Validate.text(setup.siteDir, "the site folder")
        return try write("initialize the authority") { db in
            if let existing = try AuthorityInfo.fetchOne(db, key: 1) {
                throw RegistryError(.duplicate,
                    "the registry at \(databaseURL.path) is already initialized for \"\(existing.name)\"")
            }
            let time = now
            let info = AuthorityInfo(id: 1, name: name, baseURL: baseURL, siteDir: siteDir,
                                     createdAt: time, settings: setup.settings)
            try info.insert(db)
            try AuditChain.append(db, AuditEvent(
                action: .authorityInitialized,
                description: "Authority \"\(name)\" initialized for \(baseURL)",
                metadata: ["base_url": baseURL, "site_dir": siteDir]), actor: actor, at: time)
            return info
        }
    }

    /// `segel ca renew`: makes `generation` the CA that signs from now on, in
    /// the authority's settings and the audit log, in one transaction (the
    /// CA's files are written before, so this is the moment it takes effect).
    public func recordCARenewal(generation: Int, subject: String, fingerprintSHA256: String) throws {
        try write("record the renewal of the CA") { db in
            guard var info = try AuthorityInfo.fetchOne(db, key: 1) else {
                throw RegistryError(.notFound, "the registry has no authority")
            }
            let current = info.settings["ca_generation"].flatMap(Int.init) ?? 1
            guard generation == current + 1 else {
                throw RegistryError(.illegalTransition, "the CA is at generation \(current), so generation \(generation) cannot follow it")
            }
            info.settings["ca_generation"] = String(generation)
            try info.update(db)
            try AuditChain.append(db, AuditEvent(
                action: .caRenewed,
                description: "CA renewed: generation \(generation) (\(subject)) signs from now on",
                metadata: ["generation": String(generation), "subject": subject,
                           "fingerprint_sha256": fingerprintSHA256]), actor: actor, at: now)
        }
    }

    /// The authority row, or nil before `initialize`.
    public func authority() throws -> AuthorityInfo? {
        try read("read the authority") { db in try AuthorityInfo.fetchOne(db, key: 1) }
    }

    /// Adds a requester. E-mail is stored lowercased; an empty NIM means none.
    @discardableResult
    public func addUser(name: String, email: String, nim: String? = nil) throws -> User {
        let name = try Validate.text(name, "the user's name")
        let email = try Validate.email(email)
        let nim = Validate.optional(nim)
        return try write("add user \(email)") { db in
            if let other = try User.filter(Column("email") == email).fetchOne(db) {
                throw RegistryError(.duplicate, "a user with e-mail \(email) already exists (user \(other.id))")
            }
            if let nim, let other = try User.filter(Column("nim") == nim).fetchOne(db) {
                throw RegistryError(.duplicate, "a user with NIM \(nim) already exists (user \(other.id))")
            }
            let time = now
            let user = User(id: try Registry.nextID(db, table: User.databaseTableName), name: name,
                            email: email, nim: nim, createdAt: time, updatedAt: time)
            try user.insert(db)
            try AuditChain.append(db, AuditEvent(
                action: .userCreated, description: "User \(user.id) \(name) <\(email)> added",
                userID: user.id), actor: actor, at: time)
            return user
        }
    }

    /// Adds an approver (the seed's kaprodi). E-mail is stored lowercased.
    @discardableResult
    public func addApprover(name: String, email: String, nidn: String, title: String? = nil) throws -> Approver {
        let name = try Validate.text(name, "the approver's name")
        let email = try Validate.email(email)
        let nidn = try Validate.text(nidn, "the approver's NIDN")
        let title = Validate.optional(title)
        return try write("add approver \(email)") { db in
            if let other = try Approver.filter(Column("email") == email).fetchOne(db) {
                throw RegistryError(.duplicate,
                    "an approver with e-mail \(email) already exists (approver \(other.id))")
            }
            if let other = try Approver.filter(Column("nidn") == nidn).fetchOne(db) {
                throw RegistryError(.duplicate,
                    "an approver with NIDN \(nidn) already exists (approver \(other.id))")
            }
            let time = now
            let approver = Approver(id: try Registry.nextID(db, table: Approver.databaseTableName),
                                    name: name, email: email, nidn: nidn, title: title,
                                    createdAt: time, updatedAt: time)
            try approver.insert(db)
            try AuditChain.append(db, AuditEvent(
                action: .approverCreated, description: "Approver \(approver.id) \(name) <\(email)> added",
                approverID: approver.id), actor: actor, at: time)
            return approver
        }
    }

    /// Finds a user by id, e-mail or NIM (what `--user` accepts).
    ///
    /// A numeric key that is one user's id and another user's NIM is refused
    /// as ambiguous rather than guessed.
    public func findUser(_ key: String) throws -> User {
        let key = key.trimmingCharacters(in: .whitespacesAndNewlines)
        return try read("find user \(key)") { db in
            if key.contains("@") {
                if let user = try User.cachedFetch(db, where: "email", is: key.lowercased()) { return user }
            } else {
                let byNIM = try User.cachedFetch(db, where: "nim", is: key)
                let byID = try Int64(key).flatMap { try User.cachedFetch(db, id: $0) }
                switch (byID, byNIM) {
                case let (byID?, byNIM?) where byID.id != byNIM.id:
                    throw RegistryError(.badInput,
                        "\"\(key)\" is both user \(byID.id)'s id and user \(byNIM.id)'s NIM; use the e-mail instead")
                case let (user?, _), let (nil, user?):
                    return user
                case (nil, nil):
                    break
                }
            }
            throw RegistryError(.notFound, "no user has the id, e-mail or NIM \"\(key)\"")
        }
    }

    /// Finds an approver by id, e-mail or NIDN (what `--by` accepts).
    public func findApprover(_ key: String) throws -> Approver {
        let key = key.trimmingCharacters(in: .whitespacesAndNewlines)
        return try read("find approver \(key)") { db in
            if key.contains("@") {
                if let found = try Approver.cachedFetch(db, where: "email", is: key.lowercased()) { return found }
            } else {
                let byNIDN = try Approver.cachedFetch(db, where: "nidn", is: key)
                let byID = try Int64(key).flatMap { try Approver.cachedFetch(db, id: $0) }
                switch (byID, byNIDN) {
                case let (byID?, byNIDN?) where byID.id != byNIDN.id:
                    throw RegistryError(.badInput,
                        "\"\(key)\" is both approver \(byID.id)'s id and approver \(byNIDN.id)'s NIDN; use the e-mail instead")
                case let (found?, _), let (nil, found?):
                    return found
                case (nil, nil):
                    break
                }
            }
            throw RegistryError(.notFound, "no approver has the id, e-mail or NIDN \"\(key)\"")
        }
    }

    /// The approver with `id` (`.notFound` when there is none).
    public func approver(id: Int64) throws -> Approver {
        try read("read approver \(id)") { db in try Lookup.approver(db, id) }
    }

    /// Every user, in id order.
    public func users() throws -> [User] {
        try read("list users") { db in try User.order(Column("id")).fetchAll(db) }
    }

    /// Every approver, in id order.
    public func approvers() throws -> [Approver] {
        try read("list approvers") { db in try Approver.order(Column("id")).fetchAll(db) }
    }
}
