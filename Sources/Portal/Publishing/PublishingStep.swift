/// One named step of publishing (the shape of Publish's `PublishingStep`):
/// a function over the shared context. A step that fails is named in the
/// error, together with the path it failed on.
struct PublishingStep: Sendable {
    let name: String
    let body: @Sendable (PublishingContext) throws -> Void

    init(_ name: String, _ body: @escaping @Sendable (PublishingContext) throws -> Void) {
        self.name = name
        self.body = body
    }
}
