import Foundation
import Mustache
import PKI
import Registry

/// Runs the publishing steps in order over one context. Unlike Publish, it
/// never empties the output folder: the last steps write only what changed
/// and delete only what the previous manifest listed.
struct PublishingPipeline: Sendable {
    let steps: [PublishingStep]

    static let standard = PublishingPipeline(steps: [
        .readRegistry,
        .loadTemplates,
        .readManifest,
        .publishTrustMaterial,
        .checkPreviousFiles,
        .buildIssuanceLog,
        .planDocuments,
        // The hash index is built on other cores while the pages render
        // (`startHashIndex`, once the documents are planned) and collected after them.
        .renderDocuments,
        .buildHashIndex,
        .renderSitePages,
        .copyStaticFiles,
        // Both keys are unlocked on other threads from early on; the steps that wait for them come last.
        .keepCheckpoint,
        .signCRL,
        .writeChanges,
        .writeManifest,
    ])

    /// Registry and PKI errors become `PortalError`s naming the step; errors of
    /// the caller's own closures (unlocking the CA: a wrong passphrase) pass
    /// through unchanged, so the caller can tell them apart.
    func run(_ context: PublishingContext) throws {
        for step in steps {
            context.currentStep = step.name
            let started = Date()
            defer { context.stepTimes.append(.init(step: step.name, seconds: Date().timeIntervalSince(started))) }
            do {
                try step.body(context)
            } catch let error as PortalError {
                throw error.inStep(step.name)
            } catch let error as RegistryError {
                throw PortalError(.registry, error.message, step: step.name)
            } catch let error as PKIError {
                throw PortalError(.trust, error.description, step: step.name)
            }
        }
    }
}
