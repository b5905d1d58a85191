import Foundation

/// The records of a local copy of a published site: `DIR/api/verify/<f>/<token>.json`
/// (`DIR/api/verify/<token>.json` for a document with a flat address).
public struct SiteRecordSource: RecordSource {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public func record(at address: DocumentAddress) -> RecordLookup {
        // The token comes from a certificate; VerificationURL admits only
        // URL-safe base64 characters, so it cannot name another path.
        let token = address.token
        guard VerificationURL.isWellFormedToken(token) else {
            return .unreadable("the token \"\(token)\" is not a valid token")
        }
        let path = address.record
        let url = directory.appendingPathComponent(path)
        // The size first: a site copy is not trusted to be small.
        if let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber,
           size.int64Value > 1 << 20 {
            return .unreadable("\(path) is larger than 1 MB")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            if !FileManager.default.fileExists(atPath: url.path) {
                return .missing("the site has no record \(path)")
            }
            return .unreadable("\(path) cannot be read: \(error.localizedDescription)")
        }
        guard data.count <= 1 << 20 else {
            return .unreadable("\(path) is larger than 1 MB")
        }
        do {
            let record = try PublishedRecord.decode(data)
            guard record.token == token else {
                return .unreadable("\(path) is the record of another token")
            }
            return .found(record)
        } catch let error as PublishedRecord.FormatError {
            return .unreadable("\(path): \(error.description)")
        } catch {
            return .unreadable("\(path) is not a segel record (\(TrustStore.describe(error)))")
        }
    }
}
