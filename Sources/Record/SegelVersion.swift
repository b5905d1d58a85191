/// The version of segel, as `segel --version` prints it. A publish puts it
/// in every document's change key (`DocumentFingerprint.changeKey`), so the
/// first publish by a new version reads every document again instead of
/// trusting what an older renderer made of it.
public enum SegelVersion {
    public static let current = "0.8.4"
}
