/// The version aq-import reports (`--version`) and records in journals.
public enum ToolVersion {
    public static let current = "0.1.0"
}
