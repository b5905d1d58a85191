import Foundation

extension PublishingStep {
    /// Loads the default templates with the `--templates` overrides, parses
    /// them, and reads the locale's strings.
    static let loadTemplates = PublishingStep("Load the templates") { context in
        let templates = try TemplateSet.load(overrides: context.options.templates)
        context.templates = templates
        let library = try templates.library()
        let primary = context.options.locale
        context.renderers = try [primary, primary.other].map { locale in
            PageRenderer(
                library: library,
                strings: try templates.strings(locale),
                locale: locale,
                dates: HumanDate(locale: locale, timeZone: context.options.timeZone),
                siteName: context.siteName,
                baseURL: context.baseURL,
                privatePDFs: context.options.privatePDFs,
                primary: primary)
        }
        startSitePages(context)
    }

    /// What the last publish wrote (being read since the publish started); none in a fresh site.
    static let readManifest = PublishingStep("Read the previous manifest") { context in
        if context.fresh { return }
        context.previous = try context.previousManifest?.wait() ?? Manifest.read(site: context.options.site)
    }
}
