import Foundation

extension PublishingStep {
    /// Loads the default templates with the `--templates` overrides, parses
    /// them, and reads the locale's strings.
    static let loadTemplates = PublishingStep("Load the templates") { context in
        let templates = try TemplateSet.load(overrides: context.options.templates)
        context.templates = templates
        context.renderer = PageRenderer(
            library: try templates.library(),
            strings: try templates.strings(context.options.locale),
            locale: context.options.locale,
            dates: HumanDate(locale: context.options.locale, timeZone: context.options.timeZone),
            siteName: context.siteName,
            baseURL: context.baseURL,
            privatePDFs: context.options.privatePDFs)
    }

    /// What the last publish wrote (being read since the publish started); none in a fresh site.
    static let readManifest = PublishingStep("Read the previous manifest") { context in
        if context.fresh { return }
        context.previous = try context.previousManifest?.wait() ?? Manifest.read(site: context.options.site)
    }
}
