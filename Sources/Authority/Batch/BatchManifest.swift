import Foundation

/// One row of a `segel batch` manifest (CLI.md): `file,name,user_email,user_name,
/// user_nim,type,approver,signers,page,x,y,size,placement`; file, name and
/// approver (or signers) are required. `signers` names several approvers or
/// groups, in signing order, separated by `;` (or by commas inside quotes).
public struct BatchRow: Sendable, Hashable {
    /// 1-based line number in the CSV file, header included, as a text editor shows it.
    public var line: Int
    public var file: URL
    public var name: String
    /// The approver who signs, or the first of `signers`.
    public var approver: String
    /// Everyone who signs, in order, when several do (empty: `approver` alone).
    public var signers: [String] = []
    public var userEmail: String?
    public var userName: String?
    public var userNIM: String?
    public var type: String?
    public var position: StampPosition
}

/// A row that could not be read, reported with its line number.
public struct BatchRowError: Error, Sendable, Hashable {
    public var line: Int
    public var message: String
}

/// Reads the manifest (RFC 4180 CSV: quoted fields, doubled quotes, CRLF, a
/// UTF-8 byte-order mark). Paths are relative to the manifest's folder.
public struct BatchManifest: Sendable {
    public static let columns = ["file", "name", "user_email", "user_name", "user_nim", "type",
                                 "approver", "signers", "page", "x", "y", "size", "placement"]
    public static let required = ["file", "name"]

    public var rows: [BatchRow] = []
    public var errors: [BatchRowError] = []

    public init(contentsOf url: URL) throws {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw AuthorityError(.usage, "cannot read the manifest \(url.path) as UTF-8 text")
        }
        try self.init(csv: text, baseDirectory: url.deletingLastPathComponent(), label: url.lastPathComponent)
    }

    public init(csv: String, baseDirectory: URL, label: String = "the manifest") throws {
        let records = Self.parse(csv)
        guard let (headerLine, header) = records.first else {
            throw AuthorityError(.usage, "\(label) is empty; it needs a header row: \(Self.columns.joined(separator: ","))")
        }
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for column in Self.required + [names.contains("signers") ? "signers" : "approver"] where !names.contains(column) {
            throw AuthorityError(.usage, "\(label) line \(headerLine): the header has no \"\(column)\" column (required: file, name, approver or signers)")
        }
        if let unknown = names.first(where: { !$0.isEmpty && !Self.columns.contains($0) }) {
            throw AuthorityError(.usage, "\(label) line \(headerLine): unknown column \"\(unknown)\"; known: \(Self.columns.joined(separator: ","))")
        }
        for (line, fields) in records.dropFirst() {
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            var value: [String: String] = [:]
            for (i, field) in fields.enumerated() where i < names.count {
                let trimmed = field.trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty { value[names[i]] = trimmed }
            }
            do {
                rows.append(try Self.row(line: line, value, base: baseDirectory))
            } catch let error as BatchRowError {
                errors.append(error)
            }
        }
    }

    static func row(line: Int, _ v: [String: String], base: URL) throws -> BatchRow {
        func fail(_ message: String) -> BatchRowError { BatchRowError(line: line, message: message) }
        for column in required where v[column] == nil { throw fail("the \(column) column is empty") }
        func number(_ column: String) throws -> Double? {
            guard let text = v[column] else { return nil }
            guard let n = Double(text), n.isFinite else { throw fail("\(column) \"\(text)\" is not a number") }
            return n
        }
        var position = StampPosition()
        if let page = v["page"] {
            if page == "last" { position.page = .last } else if let n = Int(page), n >= 1 { position.page = .number(n) } else {
                throw fail("page \"\(page)\" is not a page number or `last`")
            }
        }
        position.x = try number("x")
        position.y = try number("y")
        if (position.x == nil) != (position.y == nil) { throw fail("x and y go together") }
        if let placement = v["placement"] {
            guard let chosen = StampPosition.Placement(rawValue: placement) else {
                throw fail("placement \"\(placement)\" is not auto or new-page")
            }
            position.placement = chosen
        }
        if let size = try number("size") {
            guard size >= 36, size <= 400 else { throw fail("size must be between 36 and 400 points") }
            position.size = size
        }
        let signers = (v["signers"] ?? "").split(whereSeparator: { $0 == ";" || $0 == "," })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let approver = v["approver"] ?? signers.first else { throw fail("the approver column is empty") }
        if !signers.isEmpty, let named = v["approver"], named != signers[0] {
            throw fail("approver \"\(named)\" is not the first of the signers (\(signers.joined(separator: ";")))")
        }
        if signers.count > 1, position.x != nil {
            throw fail("x and y place one stamp; with several signers the stamps are placed in blank space")
        }
        let path = v["file"]!
        let file = path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)
        return BatchRow(line: line, file: file.standardizedFileURL, name: v["name"]!, approver: approver,
                        signers: signers, userEmail: v["user_email"], userName: v["user_name"], userNIM: v["user_nim"],
                        type: v["type"], position: position)
    }

    /// CSV records with the line each starts on.
    static func parse(_ text: String) -> [(line: Int, fields: [String])] {
        var records: [(Int, [String])] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1, recordLine = 1
        var chars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        if text.unicodeScalars.first == "\u{FEFF}" { _ = chars.next() }
        func endRecord() {
            fields.append(field)
            records.append((recordLine, fields))
            fields = []
            field = ""
        }
        while let c = pending ?? chars.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    if let next = chars.next() {
                        if next == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = next }
                    } else { inQuotes = false }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"": inQuotes = true
            case ",": fields.append(field); field = ""
            case "\r": continue
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            default: field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }
}
