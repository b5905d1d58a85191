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

    /// Opens the site folder and reads what the last publish wrote.
    static let readManifest = PublishingStep("Read the previous manifest") { context in
        context.writer = try SiteWriter(root: context.options.site)
        context.existing = ExistenceIndex(root: context.options.site)
        context.previous = try context.previousManifest?.wait() ?? Manifest.read(site: context.options.site)
    }
}
