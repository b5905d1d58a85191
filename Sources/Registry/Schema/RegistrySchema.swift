import GRDB

/// The registry's migrations (GRDB `DatabaseMigrator`).
///
/// Each migration is frozen once shipped: it is plain SQL with literal table
/// and column names, never derived from the record types, so that changing a
/// Swift type can never change what an old migration does. Table and column
/// names follow the seed ERD (§3), with `kaprodis` renamed `approvers`.
///
/// Nothing is ever deleted (the history is the product), so every foreign key
/// is `ON DELETE RESTRICT` instead of the seed's CASCADE / SET NULL.
enum RegistrySchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2") { db in
            try db.execute(sql: v2)
        }
        migrator.registerMigration("v3") { db in
            try db.execute(sql: v3)
        }
        migrator.registerMigration("v4") { db in
            try db.execute(sql: v4)
        }
        migrator.registerMigration("v5") { db in
            try db.execute(sql: v5)
        }
        migrator.registerMigration("v6") { db in
            try db.execute(sql: v6)
        }
        return migrator
    }

    static let v1 = """
        CREATE TABLE authority (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL,
            base_url TEXT NOT NULL,
            site_dir TEXT NOT NULL,
            created_at TEXT NOT NULL,
            settings TEXT NOT NULL DEFAULT '{}'
        );

        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            email TEXT NOT NULL UNIQUE,
            nim TEXT UNIQUE,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE approvers (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            email TEXT NOT NULL UNIQUE,
            nidn TEXT NOT NULL UNIQUE,
            title TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE approval_requests (
            id INTEGER PRIMARY KEY,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
            document_name TEXT NOT NULL,
            document_type TEXT,
            notes TEXT,
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'approved', 'rejected', 'sign_approved', 'invalid_sign')),
            approved_at TEXT,
            approved_by INTEGER REFERENCES approvers(id) ON DELETE RESTRICT,
            rejected_at TEXT,
            rejected_by INTEGER REFERENCES approvers(id) ON DELETE RESTRICT,
            sign_approved_at TEXT,
            sign_approved_by INTEGER REFERENCES approvers(id) ON DELETE RESTRICT,
            approval_notes TEXT,
            rejection_reason TEXT,
            current_version_id INTEGER REFERENCES document_versions(id) ON DELETE RESTRICT,
            approved_version_id INTEGER REFERENCES document_versions(id) ON DELETE RESTRICT,
            signed_document_path TEXT,
            workflow_metadata TEXT,
            identity_key TEXT UNIQUE,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX approval_requests_status_created_idx ON approval_requests(status, created_at);
        CREATE INDEX approval_requests_user_status_idx ON approval_requests(user_id, status);
        CREATE INDEX approval_requests_approved_idx ON approval_requests(approved_by, approved_at);
        CREATE INDEX approval_requests_rejected_idx ON approval_requests(rejected_by, rejected_at);

        CREATE TABLE document_versions (
            id INTEGER PRIMARY KEY,
            approval_request_id INTEGER NOT NULL REFERENCES approval_requests(id) ON DELETE RESTRICT,
            version INTEGER NOT NULL CHECK (version >= 1),
            file_sha256 TEXT NOT NULL CHECK (length(file_sha256) = 64),
            file_size INTEGER NOT NULL CHECK (file_size > 0),
            stored_path TEXT NOT NULL,
            original_filename TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (approval_request_id, version)
        );
        CREATE INDEX document_versions_sha256_idx ON document_versions(file_sha256);

        CREATE TABLE document_signatures (
            id INTEGER PRIMARY KEY,
            approval_request_id INTEGER NOT NULL UNIQUE REFERENCES approval_requests(id) ON DELETE RESTRICT,
            token TEXT NOT NULL UNIQUE,
            document_hash TEXT NOT NULL,
            final_hash TEXT,
            signature_status TEXT NOT NULL DEFAULT 'pending'
                CHECK (signature_status IN ('pending', 'signed', 'verified', 'invalid')),
            signature_metadata TEXT,
            qr_page INTEGER,
            qr_x REAL,
            qr_y REAL,
            qr_size REAL,
            verification_url TEXT,
            signed_at TEXT,
            signed_by INTEGER REFERENCES approvers(id) ON DELETE RESTRICT,
            invalidated_reason TEXT,
            invalidated_at TEXT,
            final_pdf_path TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX document_signatures_hash_status_idx ON document_signatures(document_hash, signature_status);
        CREATE INDEX document_signatures_final_hash_idx ON document_signatures(final_hash);
        CREATE INDEX document_signatures_signed_idx ON document_signatures(signed_at, signature_status);
        CREATE INDEX document_signatures_invalidated_idx ON document_signatures(invalidated_at, invalidated_reason);

        CREATE TABLE digital_signatures (
            id INTEGER PRIMARY KEY,
            signature_id TEXT NOT NULL UNIQUE CHECK (signature_id LIKE 'SIG-%'),
            document_signature_id INTEGER NOT NULL UNIQUE REFERENCES document_signatures(id) ON DELETE RESTRICT,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
            public_key TEXT NOT NULL,
            private_key TEXT,
            algorithm TEXT NOT NULL DEFAULT 'RSA-SHA256',
            key_length INTEGER NOT NULL DEFAULT 2048,
            certificate TEXT NOT NULL,
            serial_hex TEXT NOT NULL UNIQUE,
            valid_from TEXT NOT NULL,
            valid_until TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'expired', 'revoked')),
            revoked_reason TEXT,
            revoked_at TEXT,
            metadata TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX digital_signatures_validity_idx ON digital_signatures(status, valid_from, valid_until);
        CREATE INDEX digital_signatures_user_idx ON digital_signatures(user_id);

        CREATE TABLE signature_audit_logs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_signature_id INTEGER REFERENCES document_signatures(id) ON DELETE RESTRICT,
            approval_request_id INTEGER REFERENCES approval_requests(id) ON DELETE RESTRICT,
            user_id INTEGER REFERENCES users(id) ON DELETE RESTRICT,
            approver_id INTEGER REFERENCES approvers(id) ON DELETE RESTRICT,
            action TEXT NOT NULL,
            status_from TEXT,
            status_to TEXT,
            description TEXT NOT NULL,
            metadata TEXT,
            actor TEXT NOT NULL,
            performed_at TEXT NOT NULL,
            prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
            row_hash TEXT NOT NULL UNIQUE CHECK (length(row_hash) = 64)
        );
        CREATE INDEX signature_audit_logs_user_idx ON signature_audit_logs(user_id, performed_at);
        CREATE INDEX signature_audit_logs_action_idx ON signature_audit_logs(action, performed_at);
        CREATE INDEX signature_audit_logs_docsig_idx ON signature_audit_logs(document_signature_id, action);
        CREATE INDEX signature_audit_logs_request_idx ON signature_audit_logs(approval_request_id, performed_at);

        CREATE TABLE signature_verification_logs (
            id INTEGER PRIMARY KEY,
            document_signature_id INTEGER REFERENCES document_signatures(id) ON DELETE RESTRICT,
            approval_request_id INTEGER REFERENCES approval_requests(id) ON DELETE RESTRICT,
            user_id INTEGER REFERENCES users(id) ON DELETE RESTRICT,
            verification_method TEXT NOT NULL
                CHECK (verification_method IN ('upload', 'token', 'id', 'url', 'qr')),
            verification_token_hash TEXT,
            is_valid INTEGER NOT NULL CHECK (is_valid IN (0, 1)),
            result_status TEXT NOT NULL
                CHECK (result_status IN ('success', 'failed', 'expired', 'invalid', 'not_found')),
            metadata TEXT,
            file_sha256 TEXT,
            verdict TEXT CHECK (verdict IN ('VALID', 'INVALID', 'INDETERMINATE')),
            verified_at TEXT NOT NULL
        );
        CREATE INDEX svl_docsig_verified_idx ON signature_verification_logs(document_signature_id, verified_at);
        CREATE INDEX svl_valid_verified_idx ON signature_verification_logs(is_valid, verified_at);
        CREATE INDEX svl_method_verified_idx ON signature_verification_logs(verification_method, verified_at);
        """

    /// 0.3: the stamp's QR symbol (`QRSymbol.archived`), so the portal draws the
    /// very code printed on the document without encoding it again. NULL for
    /// documents signed before, which the portal encodes as it always did.
    static let v2 = """
        ALTER TABLE document_signatures ADD COLUMN qr_modules BLOB;
        """

    /// 0.4: each document's public status, stored when the authority acts on
    /// it. Existing registries are filled by the rule it replaces: invalidating
    /// a document also revokes its key and revoking a key also invalidates its
    /// document, so the first of the two audit rows names the status (a key
    /// revoked with no audit row of its own, which 0.1 could not write, counts
    /// as revoked).
    static let v3 = """
        ALTER TABLE document_signatures ADD COLUMN public_status TEXT NOT NULL DEFAULT 'valid'
            CHECK (public_status IN ('valid', 'invalidated', 'revoked'));
        ALTER TABLE document_signatures ADD COLUMN public_status_reason TEXT;
        ALTER TABLE document_signatures ADD COLUMN public_status_at TEXT;
        CREATE TEMP TABLE first_acts AS
            SELECT s.id AS signature_id,
                   (SELECT MIN(a.id) FROM signature_audit_logs a
                     WHERE a.document_signature_id = s.id AND a.action = 'signature_invalidated') AS invalidated_row,
                   (SELECT MIN(a.id) FROM signature_audit_logs a
                     WHERE a.document_signature_id = s.id AND a.action = 'signature_key_revoked') AS revoked_row,
                   (SELECT k.status FROM digital_signatures k WHERE k.document_signature_id = s.id) AS key_status
            FROM document_signatures s;
        UPDATE document_signatures SET public_status = (
            SELECT CASE
                WHEN f.revoked_row IS NOT NULL AND (f.invalidated_row IS NULL OR f.revoked_row < f.invalidated_row)
                    THEN 'revoked'
                WHEN document_signatures.signature_status = 'invalid' THEN 'invalidated'
                WHEN f.key_status = 'revoked' THEN 'revoked'
                ELSE 'valid' END
            FROM first_acts f WHERE f.signature_id = document_signatures.id);
        UPDATE document_signatures SET
            public_status_reason = CASE public_status
                WHEN 'invalidated' THEN invalidated_reason
                WHEN 'revoked' THEN (SELECT k.revoked_reason FROM digital_signatures k
                                     WHERE k.document_signature_id = document_signatures.id)
                END,
            public_status_at = CASE public_status
                WHEN 'invalidated' THEN invalidated_at
                WHEN 'revoked' THEN (SELECT k.revoked_at FROM digital_signatures k
                                     WHERE k.document_signature_id = document_signatures.id)
                END;
        DROP TABLE first_acts;
        """

    /// 0.4: what the portal shows of each certificate, read when it is made.
    /// NULL for existing keys until the authority fills them (it parses
    /// certificates with PKI, which this module does not link); the partial
    /// index keeps the check for unfilled keys instant at every opening.
    static let v4 = """
        ALTER TABLE digital_signatures ADD COLUMN cert_subject TEXT;
        ALTER TABLE digital_signatures ADD COLUMN cert_issuer TEXT;
        ALTER TABLE digital_signatures ADD COLUMN cert_key_algorithm TEXT;
        ALTER TABLE digital_signatures ADD COLUMN cert_fingerprint_sha256 TEXT;
        CREATE INDEX digital_signatures_without_summary ON digital_signatures(id)
            WHERE cert_fingerprint_sha256 IS NULL;
        """

    /// 0.7: several signers per document. A document signature holds one key
    /// per signer, in signing order (`signer_position`), so the one-key-per-
    /// document UNIQUE constraint goes (SQLite cannot drop a constraint: the
    /// table is rebuilt, ISO SQL's twelve-step way, and its indexes with it);
    /// each key records its own signer, time, stamp and the file's hash after
    /// it. Existing keys are position 1 with their document's facts. A request
    /// whose signing a later signer rejected keeps its void signature and may
    /// get a new one after resubmission, so `document_signatures` is rebuilt
    /// too: one live (not invalid) signature per request instead of one ever.
    /// `request_signers` is a request's ordered list of signers and where each
    /// one's turn stands; `signer_groups` name an ordered list once.
    static let v5 = """
        CREATE TABLE digital_signatures_v5 (
            id INTEGER PRIMARY KEY,
            signature_id TEXT NOT NULL UNIQUE CHECK (signature_id LIKE 'SIG-%'),
            document_signature_id INTEGER NOT NULL REFERENCES document_signatures(id) ON DELETE RESTRICT,
            user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
            public_key TEXT NOT NULL,
            private_key TEXT,
            algorithm TEXT NOT NULL DEFAULT 'RSA-SHA256',
            key_length INTEGER NOT NULL DEFAULT 2048,
            certificate TEXT NOT NULL,
            serial_hex TEXT NOT NULL UNIQUE,
            valid_from TEXT NOT NULL,
            valid_until TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'expired', 'revoked')),
            revoked_reason TEXT,
            revoked_at TEXT,
            metadata TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            cert_subject TEXT,
            cert_issuer TEXT,
            cert_key_algorithm TEXT,
            cert_fingerprint_sha256 TEXT,
            signer_position INTEGER NOT NULL DEFAULT 1 CHECK (signer_position >= 1),
            signer_id INTEGER REFERENCES approvers(id) ON DELETE RESTRICT,
            signed_at TEXT,
            signed_hash TEXT,
            qr_page INTEGER,
            qr_x REAL,
            qr_y REAL,
            qr_size REAL,
            UNIQUE (document_signature_id, signer_position)
        );
        INSERT INTO digital_signatures_v5
            (id, signature_id, document_signature_id, user_id, public_key, private_key, algorithm, key_length,
             certificate, serial_hex, valid_from, valid_until, status, revoked_reason, revoked_at, metadata,
             created_at, updated_at, cert_subject, cert_issuer, cert_key_algorithm, cert_fingerprint_sha256,
             signer_position, signer_id, signed_at, signed_hash, qr_page, qr_x, qr_y, qr_size)
        SELECT k.id, k.signature_id, k.document_signature_id, k.user_id, k.public_key, k.private_key, k.algorithm,
               k.key_length, k.certificate, k.serial_hex, k.valid_from, k.valid_until, k.status, k.revoked_reason,
               k.revoked_at, k.metadata, k.created_at, k.updated_at, k.cert_subject, k.cert_issuer,
               k.cert_key_algorithm, k.cert_fingerprint_sha256,
               1, s.signed_by, s.signed_at, s.final_hash, s.qr_page, s.qr_x, s.qr_y, s.qr_size
        FROM digital_signatures k JOIN document_signatures s ON s.id = k.document_signature_id;
        DROP TABLE digital_signatures;
        ALTER TABLE digital_signatures_v5 RENAME TO digital_signatures;
        CREATE INDEX digital_signatures_validity_idx ON digital_signatures(status, valid_from, valid_until);
        CREATE INDEX digital_signatures_user_idx ON digital_signatures(user_id);
        CREATE INDEX digital_signatures_without_summary ON digital_signatures(id)
            WHERE cert_fingerprint_sha256 IS NULL;

        CREATE TABLE document_signatures_v5 (
            id INTEGER PRIMARY KEY,
            approval_request_id INTEGER NOT NULL REFERENCES approval_requests(id) ON DELETE RESTRICT,
            token TEXT NOT NULL UNIQUE,
            document_hash TEXT NOT NULL,
            final_hash TEXT,
            signature_status TEXT NOT NULL DEFAULT 'pending'
                CHECK (signature_status IN ('pending', 'signed', 'verified', 'invalid')),
            signature_metadata TEXT,
            qr_page INTEGER,
            qr_x REAL,
            qr_y REAL,
            qr_size REAL,
            verification_url TEXT,
            signed_at TEXT,
            signed_by INTEGER REFERENCES approvers(id) ON DELETE RESTRICT,
            invalidated_reason TEXT,
            invalidated_at TEXT,
            final_pdf_path TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            qr_modules BLOB,
            public_status TEXT NOT NULL DEFAULT 'valid'
                CHECK (public_status IN ('valid', 'invalidated', 'revoked')),
            public_status_reason TEXT,
            public_status_at TEXT
        );
        INSERT INTO document_signatures_v5
            (id, approval_request_id, token, document_hash, final_hash, signature_status, signature_metadata,
             qr_page, qr_x, qr_y, qr_size, verification_url, signed_at, signed_by, invalidated_reason,
             invalidated_at, final_pdf_path, created_at, updated_at, qr_modules, public_status,
             public_status_reason, public_status_at)
        SELECT id, approval_request_id, token, document_hash, final_hash, signature_status, signature_metadata,
               qr_page, qr_x, qr_y, qr_size, verification_url, signed_at, signed_by, invalidated_reason,
               invalidated_at, final_pdf_path, created_at, updated_at, qr_modules, public_status,
               public_status_reason, public_status_at
        FROM document_signatures;
        DROP TABLE document_signatures;
        ALTER TABLE document_signatures_v5 RENAME TO document_signatures;
        CREATE INDEX document_signatures_hash_status_idx ON document_signatures(document_hash, signature_status);
        CREATE INDEX document_signatures_final_hash_idx ON document_signatures(final_hash);
        CREATE INDEX document_signatures_signed_idx ON document_signatures(signed_at, signature_status);
        CREATE INDEX document_signatures_invalidated_idx ON document_signatures(invalidated_at, invalidated_reason);
        CREATE UNIQUE INDEX document_signatures_live_request ON document_signatures(approval_request_id)
            WHERE signature_status != 'invalid';
        CREATE INDEX document_signatures_request_idx ON document_signatures(approval_request_id, id);

        CREATE TABLE request_signers (
            id INTEGER PRIMARY KEY,
            approval_request_id INTEGER NOT NULL REFERENCES approval_requests(id) ON DELETE RESTRICT,
            position INTEGER NOT NULL CHECK (position >= 1),
            approver_id INTEGER NOT NULL REFERENCES approvers(id) ON DELETE RESTRICT,
            group_name TEXT,
            role TEXT,
            field_page INTEGER,
            field_x REAL,
            field_y REAL,
            field_size REAL,
            state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'approved', 'signed', 'rejected')),
            acted_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (approval_request_id, position),
            UNIQUE (approval_request_id, approver_id)
        );

        CREATE TABLE signer_groups (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            role TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE signer_group_members (
            group_id INTEGER NOT NULL REFERENCES signer_groups(id) ON DELETE RESTRICT,
            position INTEGER NOT NULL CHECK (position >= 1),
            approver_id INTEGER NOT NULL REFERENCES approvers(id) ON DELETE RESTRICT,
            PRIMARY KEY (group_id, position),
            UNIQUE (group_id, approver_id)
        );
        """

    /// 0.8: a change stamp per document signature, so that a publish reads in
    /// full only the documents that changed since the last one. Triggers give
    /// the signature a new random stamp whenever a row its published files
    /// are made of changes: the signature itself, any of its keys, its
    /// request, the request's requester and approved version, and the
    /// approvers it or its keys name (`PublishedDocument` reads exactly these
    /// tables) — on insert and delete too, so that a row replaced in place
    /// (`INSERT OR REPLACE` of the same id) counts. Every update of a
    /// signature's other columns gets a new stamp, even one that also sets the
    /// stamp; the trigger names every column but the stamp, so that its own
    /// update never fires it again, even on a connection with recursive
    /// triggers (a migration that adds a column to `document_signatures` must
    /// add it there: `SchemaTests` checks). Random rather than counted: a registry restored from a
    /// backup and changed again can never come back to a stamp a site already
    /// recorded for other contents. Existing rows get a random stamp too (a
    /// site published by an older version recorded none, so its first publish
    /// after the upgrade reads everything; a backup from before the upgrade,
    /// restored later, gets stamps no site has seen).
    static let v6 = """
        ALTER TABLE document_signatures ADD COLUMN change_stamp INTEGER NOT NULL DEFAULT 0;
        UPDATE document_signatures SET change_stamp = random();
        -- A new document version is looked up by the requests that approved it (its trigger below).
        CREATE INDEX approval_requests_approved_version_idx ON approval_requests(approved_version_id);

        CREATE TRIGGER document_signatures_stamp_insert AFTER INSERT ON document_signatures BEGIN
            UPDATE document_signatures SET change_stamp = random() WHERE id = NEW.id;
        END;
        CREATE TRIGGER document_signatures_stamp_update AFTER UPDATE OF
            id, approval_request_id, token, document_hash, final_hash, signature_status, signature_metadata,
            qr_page, qr_x, qr_y, qr_size, verification_url, signed_at, signed_by, invalidated_reason,
            invalidated_at, final_pdf_path, created_at, updated_at, qr_modules, public_status,
            public_status_reason, public_status_at
            ON document_signatures BEGIN
            UPDATE document_signatures SET change_stamp = random() WHERE id IN (NEW.id, OLD.id);
        END;
        CREATE TRIGGER digital_signatures_stamp_insert AFTER INSERT ON digital_signatures BEGIN
            UPDATE document_signatures SET change_stamp = random() WHERE id = NEW.document_signature_id;
        END;
        CREATE TRIGGER digital_signatures_stamp_update AFTER UPDATE ON digital_signatures BEGIN
            UPDATE document_signatures SET change_stamp = random()
            WHERE id IN (NEW.document_signature_id, OLD.document_signature_id);
        END;
        CREATE TRIGGER digital_signatures_stamp_delete AFTER DELETE ON digital_signatures BEGIN
            UPDATE document_signatures SET change_stamp = random() WHERE id = OLD.document_signature_id;
        END;
        CREATE TRIGGER approval_requests_stamp_insert AFTER INSERT ON approval_requests BEGIN
            UPDATE document_signatures SET change_stamp = random()
            WHERE approval_request_id IN (NEW.id);
        END;
        CREATE TRIGGER approval_requests_stamp_update AFTER UPDATE ON approval_requests BEGIN
            UPDATE document_signatures SET change_stamp = random()
            WHERE approval_request_id IN (NEW.id, OLD.id);
        END;
        CREATE TRIGGER approval_requests_stamp_delete AFTER DELETE ON approval_requests BEGIN
            UPDATE document_signatures SET change_stamp = random()
            WHERE approval_request_id IN (OLD.id);
        END;
        CREATE TRIGGER users_stamp_insert AFTER INSERT ON users BEGIN
            UPDATE document_signatures SET change_stamp = random()
            WHERE approval_request_id IN (SELECT id FROM approval_requests WHERE user_id IN (NEW.id));
        END;
        CREATE TRIGGER users_stamp_update AFTER UPDATE ON users BEGIN
            UPDATE document_signatures SET change_stamp = random()
            WHERE approval_request_id IN (SELECT id FROM approval_requests WHERE user_id IN (NEW.id, OLD.id));
        END;
        CREATE TRIGGER users_stamp_delete AFTER DELETE ON users BEGIN
            UPDATE document_signatures SET change_stamp = random()
            WHERE approval_request_id IN (SELECT id FROM approval_requests WHERE user_id IN (OLD.id));
        END;
        CREATE TRIGGER approvers_stamp_insert AFTER INSERT ON approvers BEGIN
            UPDATE document_signatures SET change_stamp = random()
            WHERE signed_by IN (NEW.id)
               OR id IN (SELECT document_signature_id FROM digital_signatures WHERE signer_id IN (NEW.id));
        END;
        CREATE TRIGGER approvers_stamp_update AFTER UPDATE ON approvers BEGIN
            UPDATE document_signatures SET change_stamp = random()
            WHERE signed_by IN (NEW.id, OLD.id)
               OR id IN (SELECT document_signature_id FROM digital_signatures WHERE signer_id IN (NEW.id, OLD.id));
        END;
        CREATE TRIGGER approvers_stamp_delete AFTER DELETE ON approvers BEGIN
            UPDATE document_signatures SET change_stamp = random()
            WHERE signed_by IN (OLD.id)
               OR id IN (SELECT document_signature_id FROM digital_signatures WHERE signer_id IN (OLD.id));
        END;
        CREATE TRIGGER document_versions_stamp_insert AFTER INSERT ON document_versions BEGIN
            UPDATE document_signatures SET change_stamp = random()
            WHERE approval_request_id IN (SELECT id FROM approval_requests WHERE approved_version_id IN (NEW.id));
        END;
        CREATE TRIGGER document_versions_stamp_update AFTER UPDATE ON document_versions BEGIN
            UPDATE document_signatures SET change_stamp = random()
            WHERE approval_request_id IN (SELECT id FROM approval_requests WHERE approved_version_id IN (NEW.id, OLD.id));
        END;
        CREATE TRIGGER document_versions_stamp_delete AFTER DELETE ON document_versions BEGIN
            UPDATE document_signatures SET change_stamp = random()
            WHERE approval_request_id IN (SELECT id FROM approval_requests WHERE approved_version_id IN (OLD.id));
        END;
        """
}
