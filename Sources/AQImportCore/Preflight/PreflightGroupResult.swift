/// What the preflight found for one (kind, scope) group.
public struct PreflightGroupResult: Sendable, Hashable {
    /// One look-up: where it searched, which ids, which of them came back.
    public struct Lookup: Sendable, Hashable {
        public var whereLooked: String
        public var sampled: [String]
        public var found: [String]
        /// Pages read.
        public var pages: Int
        /// Why nothing could be found (a 404 for the project or dataset), in the server's words.
        public var note: String?
        /// The dataset's listing held no example at all: nothing could be checked. The dataset exists
        /// (a wrong id answers 404) but its listing cannot tell these ids apart from others, as for
        /// a dataset the key may add from but not list; verification after delivery settles them.
        public var emptyListing: Bool

        public init(
            whereLooked: String, sampled: [String], found: [String], pages: Int, note: String? = nil,
            emptyListing: Bool = false
        ) {
            self.whereLooked = whereLooked
            self.sampled = sampled
            self.found = found
            self.pages = pages
            self.note = note
            self.emptyListing = emptyListing
        }
    }

    public var kind: RecordKind
    public var scope: Scope
    public var groupSize: Int
    public var lookups: [Lookup]

    public init(kind: RecordKind, scope: Scope, groupSize: Int, lookups: [Lookup]) {
        self.kind = kind
        self.scope = scope
        self.groupSize = groupSize
        self.lookups = lookups
    }

    public var sampled: Int { lookups.reduce(0) { $0 + $1.sampled.count } }
    public var found: Int { lookups.reduce(0) { $0 + $1.found.count } }

    /// Every look-up met a dataset listing with no example at all.
    public var unchecked: Bool { !lookups.isEmpty && lookups.allSatisfy(\.emptyListing) }

    /// At least half of the sample was found (or nothing could be checked).
    public var passed: Bool { 2 * found >= sampled || unchecked }

    /// `project P: 20 of 20 sampled span ids found`
    public var line: String {
        if unchecked {
            return "\(scope.description): not checked, the dataset lists no examples (\(sampled) sampled example ids)"
        }
        return "\(scope.description): \(found) of \(sampled) sampled \(kind.rawValue) ids found"
    }

    /// Why the run stops: the group, what was looked for where, and what usually causes it.
    public var failureMessage: String {
        var text = "preflight: \(line), fewer than half; nothing was sent.\n"
        for lookup in lookups {
            let missing = lookup.sampled.filter { !lookup.found.contains($0) }
            text += "  looked up \(lookup.sampled.count) with \(lookup.whereLooked): found \(lookup.found.count)"
            if let note = lookup.note { text += " (\(note))" }
            if !missing.isEmpty {
                text += "; not found: " + missing.prefix(3).map(\.debugDescription).joined(separator: ", ")
                if missing.count > 3 { text += ", ..." }
            }
            text += "\n"
        }
        text += "  Likely causes:\n"
        for cause in likelyCauses { text += "  - \(cause)\n" }
        text += "  Check the ids and the options, or pass --no-preflight to send anyway."
        return text
    }

    private var likelyCauses: [String] {
        switch scope {
        case .dataset(let id, let version):
            var causes = ["--dataset-id (or the dataset_id column) is not the dataset these examples belong to: \(id)"]
            if let version { causes.append("--dataset-version-id \(version) does not hold these examples") }
            causes.append("the ids are not example ids (span or trace ids, or another column)")
            return causes
        case .project(let id):
            let other: String
            switch kind {
            case .span: other = "trace or session ids in a span id column"
            case .trace: other = "span or session ids in a trace id column"
            case .session: other = "span or trace ids in a session id column"
            case .example: other = "ids of another kind"
            }
            let start: String
            switch kind {
            case .trace: start = "their root spans' start times"
            case .session: start = "their first spans' start times"
            default: start = "the spans' start times"
            }
            return [
                "--project-id (or the project_id column) is not the project these \(kind.rawValue)s belong to: \(id)",
                "the times are not \(start) (an end time, an ingestion time, another unit or zone): "
                    + "the server searches each id only in a window around its time",
                "the ids are of another kind: \(other)",
            ]
        }
    }
}
