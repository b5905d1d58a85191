import Foundation

/// A terminal signature field (ISO 32000-2 §12.7.5.5, `/FT /Sig`) of the
/// interactive form, with its widgets and its value.
public struct SignatureField: Sendable, Hashable {
    /// The fully qualified field name (§12.7.4.2: partial names joined by periods).
    public let name: String
    /// The field dictionary's reference (`nil` for a field written inline).
    public let fieldRef: ObjectRef?
    /// The widget annotations of the field (the field itself when merged with its widget).
    public let widgetRefs: [ObjectRef]
    /// The `/V` reference to the signature dictionary, if `/V` is indirect.
    public let signatureRef: ObjectRef?
    /// The parsed signature dictionary (`nil` for an unsigned field).
    public let signature: SignatureDictionary?

    public var isSigned: Bool { signature != nil }
}
