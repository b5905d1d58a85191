import Foundation

extension PublishSummary {
    /// The summary as JSON with sorted keys — what a JSONEncoder with
    /// `.sortedKeys` and `.withoutEscapingSlashes` writes — built on bytes,
    /// because a first publish lists ~90,000 written paths.
    public func json() -> Data {
        var out = JSONBytes(capacity: 1_024 + (writtenPaths.count + deletedPaths.count) * 48)
        out.raw("{"); out.key("as_of"); out.string(asOf)
        out.raw(","); out.key("crl_issued"); out.bool(crlIssued)
        out.raw(","); out.key("crl_next_update"); out.string(crlNextUpdate)
        out.raw(","); out.key("crl_number"); out.int(crlNumber)
        out.raw(","); out.key("deleted"); out.int(deleted)
        out.raw(","); out.key("deleted_paths"); out.strings(deletedPaths)
        out.raw(","); out.key("documents"); out.int(documents)
        out.raw(","); out.key("files"); out.int(files)
        out.raw(","); out.key("index_entries"); out.int(indexEntries)
        out.raw(","); out.key("index_shards"); out.int(indexShards)
        out.raw(","); out.key("log_signed"); out.bool(logSigned)
        out.raw(","); out.key("log_size"); out.int(logSize)
        out.raw(","); out.key("rendered_documents"); out.int(renderedDocuments)
        out.raw(","); out.key("seconds"); out.double(seconds)
        out.raw(","); out.key("site"); out.string(site)
        out.raw(","); out.key("steps"); out.raw("[")
        for (index, step) in steps.enumerated() {
            if index > 0 { out.raw(",") }
            out.raw("{"); out.key("seconds"); out.double(step.seconds)
            out.raw(","); out.key("step"); out.string(step.step)
            out.raw("}")
        }
        out.raw("],"); out.key("unchanged"); out.int(unchanged)
        out.raw(","); out.key("written"); out.int(written)
        out.raw(","); out.key("written_paths"); out.strings(writtenPaths)
        out.raw("}")
        return Data(out.bytes)
    }
}
