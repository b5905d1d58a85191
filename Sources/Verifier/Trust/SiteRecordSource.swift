import Foundation

/// The records of a local copy of a published site: `DIR/api/verify/<token>.json`.
public struct SiteRecordSource: RecordSource {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    public func record(forToken token: String) -> RecordLookup {
        // The token comes from a certificate; VerificationURL admits only
        // URL-safe base64 characters, so it cannot name another path.
        guard VerificationURL.isWellFormedToken(token) else {
            return .unreadable("the token \"\(token)\" is not a valid token")
        }
        let url = directory.appendingPathComponent("api/verify/\(token).json")
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            if !FileManager.default.fileExists(atPath: url.path) {
                return .missing("the site has no record api/verify/\(token).json")
            }
            return .unreadable("api/verify/\(token).json cannot be read: \(error.localizedDescription)")
        }
        guard data.count <= 1 << 20 else {
            return .unreadable("api/verify/\(token).json is larger than 1 MB")
        }
        do {
            let record = try PublishedRecord.decode(data)
            guard record.token == token else {
                return .unreadable("api/verify/\(token).json is the record of another token")
            }
            return .found(record)
        } catch let error as PublishedRecord.FormatError {
            return .unreadable("api/verify/\(token).json: \(error.description)")
        } catch {
            return .unreadable("api/verify/\(token).json is not a segel record (\(TrustStore.describe(error)))")
        }
    }
}
