import Foundation
import GRDB

/// A record that lists its columns itself, in one place: GRDB persists it
/// through `encode(to:)` like any other record, and the registry's hot paths
/// (a batch writes five kinds of row per document) insert and update it
/// through statements compiled once per connection, binding the values by
/// position. GRDB's own `insert`/`update` go through a `PersistenceContainer`
/// (a case-insensitive ordered dictionary) and build the SQL anew on every
/// call, which cost more than SQLite's work on the row.
protocol ColumnRecord: RegistryRecord {
    var id: Int64 { get }
    /// Every column and its stored value (the Codable form, see
    /// `RegistryRecord`), `id` first.
    func columns() -> [ColumnValue]
}

/// A column name and its stored value.
typealias ColumnValue = (name: String, value: (any DatabaseValueConvertible)?)

extension ColumnRecord {
    public func encode(to container: inout PersistenceContainer) throws {
        for column in columns() { container[column.name] = column.value }
    }

    /// INSERTs the row; `columns` when the caller has them already.
    func insertRow(_ db: Database, columns given: [ColumnValue]? = nil) throws {
        let columns = given ?? self.columns()
        var names = "", marks = ""
        for (index, column) in columns.enumerated() {
            names += index == 0 ? "\"\(column.name)\"" : ", \"\(column.name)\""
            marks += index == 0 ? "?" : ", ?"
        }
        let statement = try db.cachedStatement(sql: "INSERT INTO \"\(Self.databaseTableName)\" (\(names)) VALUES (\(marks))")
        try statement.execute(arguments: StatementArguments(columns.map(\.value)))
    }

    /// UPDATEs every column of the row with this `id`; a missing row is `.notFound`.
    func updateRow(_ db: Database) throws {
        let columns = columns().filter { $0.name != "id" }
        var assignments = ""
        for (index, column) in columns.enumerated() {
            assignments += index == 0 ? "\"\(column.name)\" = ?" : ", \"\(column.name)\" = ?"
        }
        let statement = try db.cachedStatement(sql: "UPDATE \"\(Self.databaseTableName)\" SET \(assignments) WHERE id = ?")
        try statement.execute(arguments: StatementArguments(columns.map(\.value) + [id]))
        guard db.changesCount == 1 else {
            throw RegistryError(.notFound, "\(Self.databaseTableName) has no row \(id) to update")
        }
    }
}
