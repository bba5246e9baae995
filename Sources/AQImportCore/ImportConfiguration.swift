/// Everything one run of aq-import was asked to do, as the executable parsed it.
public struct ImportConfiguration: Sendable {
    /// Input paths in the order given; `-` is standard input.
    public var inputs: [String]
    /// The queue id, after name resolution.
    public var queueID: String
    public var readOptions: ReadOptions
    public var dryRun: Bool
    /// `--plan-out`: where a dry run writes each request exactly as it would be sent.
    public var planOutPath: String?
    /// `--rejects`: a file (one input) or a directory (any number of inputs). Default: the current
    /// directory, one `<input>.rejects.<format>` file per input that has rejects.
    public var rejectsPath: String?
    public var maxRejects: RejectLimit?
    /// The directory relative paths and default files are resolved against.
    public var workingDirectory: String
    /// The command line that started the run, recorded in the journal so that `status` can show how to resume.
    public var commandLine: [String] = []
    /// `--where`, `--one-per`, `--sample`, `--stratify-by`, `--per-stratum`, `--seed`, `--exclude-queue`.
    public var selection = SelectionOptions()
    /// The units the `--exclude-queue` queues hold, read before planning.
    public var exclusions = ExclusionSet()
    /// `--selection-out`: where the picked records are written as NDJSON.
    public var selectionOutPath: String?

    public init(
        inputs: [String], queueID: String, readOptions: ReadOptions = ReadOptions(), dryRun: Bool = false,
        planOutPath: String? = nil, rejectsPath: String? = nil, maxRejects: RejectLimit? = nil,
        workingDirectory: String
    ) {
        self.inputs = inputs
        self.queueID = queueID
        self.readOptions = readOptions
        self.dryRun = dryRun
        self.planOutPath = planOutPath
        self.rejectsPath = rejectsPath
        self.maxRejects = maxRejects
        self.workingDirectory = workingDirectory
    }
}

/// The exit codes of aq-import, kept by every feature (README, "Exit codes").
public enum ImportExitCode: Int32, Sendable {
    /// Everything planned (dry run) or delivered.
    case success = 0
    /// Finished, but some records were rejected (by validation or by the server).
    case someRejected = 1
    /// Nothing done: a usage error, an unreadable input, no valid record, too many rejects.
    case nothingDone = 2
    /// Aborted during delivery; running the same command again resumes.
    case abortedResumable = 3
    /// Interrupted (SIGINT/SIGTERM); running the same command again resumes.
    case interrupted = 130
}
