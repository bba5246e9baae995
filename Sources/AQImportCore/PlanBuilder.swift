import Foundation

/// The first half of a run: reads every input, sends bad rows to the rejects files, de-duplicates and
/// plans. Holds nothing of a row once it has become a record or a reject.
public struct PlanBuilder {
    /// What reading and planning produced.
    public struct Result: Sendable {
        public var plan: Plan
        public var inputs: [RunSummary.InputSummary]
        public var kinds: [String: RunSummary.KindSummary]
        /// Each input's fingerprint figures, in input order (SHA-256 when asked for).
        public var fileStats: [FileReadStats]
        public var rejectsWritten: Int
        /// With a selection: how it was drawn, and the records it picked (those planned).
        public var selection: SelectionReport?
        public var picked: [Selector.Picked] = []
    }

    public var configuration: ImportConfiguration
    /// Called now and then with the rows read so far, for progress.
    public var onProgress: (@Sendable (_ rows: Int) -> Void)?
    /// Called with what the user should know about how the inputs were read (not errors).
    public var onNotice: (@Sendable (String) -> Void)?

    public init(
        configuration: ImportConfiguration, onProgress: (@Sendable (Int) -> Void)? = nil,
        onNotice: (@Sendable (String) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.onProgress = onProgress
        self.onNotice = onNotice
    }

    public func run() throws(ImportError) -> Result {
        let inputs = configuration.inputs
        try checkOptions()
        var readers: [ExportReader] = []
        var states: [InputFileState?] = []
        var selector: Selector?
        var readOptions = configuration.readOptions
        if configuration.selection.isActive {
            do {
                selector = try Selector(options: configuration.selection, exclusions: configuration.exclusions)
            } catch {
                throw .selection(error)
            }
            readOptions.selectionColumns = selector!.columns
        } else {
            readOptions.recordRuns = true
        }
        // Open every input first: a missing file or an unusable header stops the run before any work.
        for (index, path) in inputs.enumerated() {
            do {
                states.append(InputFileState.of(path: path))
                readers.append(try ExportReader(path: path, fileIndex: index, options: readOptions))
            } catch let error as InputError {
                throw .input(error)
            } catch {
                throw .input(InputError(file: path, message: "\(error)"))
            }
        }

        if let window = configuration.readOptions.fixedWindow {
            for reader in readers where reader.kind.isProjectKind {
                if let column = reader.timeColumn {
                    onNotice?(
                        "\(reader.displayName) has a time column (\(column)): its rows are planned by their own "
                            + "times; --start/--end (\(window.start.rfc3339) to \(window.end.rfc3339)) apply only "
                            + "to its rows whose time is empty")
                }
            }
        }
        var bindings: [Selector.Binding] = []
        if let selector {
            do {
                try selector.check(inputColumns: readers.map(\.columns))
                bindings = try readers.map {
                    try selector.bind(
                        file: $0.displayName, kind: $0.kind, columns: $0.columns, timeColumn: $0.timeColumn)
                }
            } catch let error as SelectionError {
                throw .selection(error)
            } catch {
                throw .selection(.options("\(error)"))
            }
        }
        try checkRejectsPaths(formats: readers.map(\.format))
        // Each reading writes its rejects afresh: a file left by an earlier reading would mislead.
        for index in readers.indices {
            try? FileManager.default.removeItem(atPath: rejectsPath(forInput: index, format: readers[index].format))
        }
        let sink = RejectSink { index in rejectsPath(forInput: index, format: readers[index].format) }
        var planner = Planner(options: PlanOptions(fixedWindow: configuration.readOptions.fixedWindow))
        var summaries: [RunSummary.InputSummary] = []
        var kinds: [String: RunSummary.KindSummary] = [:]
        var fileStats: [FileReadStats] = []
        var totalRows = 0
        var totalRejected = 0
        let progressEvery = 65_536

        for index in readers.indices {
            var reader = readers[index]
            var summary = RunSummary.InputSummary(
                path: inputs[index], format: reader.format.rawValue, kind: reader.kind.rawValue,
                kindInferred: reader.kindWasInferred, idColumn: reader.idColumn, timeColumn: reader.timeColumn,
                rows: 0, records: 0, duplicates: 0, rejected: 0, rejectedByReason: [:], rejectsPath: nil)
            if configuration.selection.filter != nil { summary.filteredOut = 0 }
            var kindSummary =
                kinds[reader.kind.rawValue] ?? RunSummary.KindSummary(records: 0, duplicates: 0, rejected: 0)
            let stats: FileReadStats
            do {
                stats = try reader.read { event in
                    var rows = 1
                    switch event {
                    case .records(let run):
                        rows = run.entries.count
                        let inserted = planner.add(run)
                        summary.records += inserted
                        kindSummary.records += inserted
                        summary.duplicates += rows - inserted
                        kindSummary.duplicates += rows - inserted
                    case .record(let record):
                        let disposition: Selector.Disposition
                        if selector != nil {
                            // A reader that does not hand the selection's values would select nothing.
                            guard record.selectedValues.count == readOptions.selectionColumns.count else {
                                throw ImportError.selection(.readerLacksValues(file: readers[index].displayName))
                            }
                            disposition = selector!.add(record, values: record.selectedValues, binding: bindings[index])
                        } else {
                            disposition = planner.add(record) ? .candidate : .duplicate
                        }
                        switch disposition {
                        case .candidate:
                            summary.records += 1
                            kindSummary.records += 1
                        case .duplicate:
                            summary.duplicates += 1
                            kindSummary.duplicates += 1
                        case .filteredOut:
                            summary.filteredOut = (summary.filteredOut ?? 0) + 1
                        }
                    case .rejected(let rejection):
                        summary.rejected += 1
                        kindSummary.rejected += 1
                        summary.rejectedByReason[rejection.reason.code, default: 0] += 1
                        totalRejected += 1
                        try sink.write(rejection, fileIndex: index)
                    }
                    let rowsSoFar = summary.records + summary.duplicates + summary.rejected + (summary.filteredOut ?? 0)
                    let (before, after) = (totalRows + rowsSoFar - rows, totalRows + rowsSoFar)
                    // A percentage is judged from the hundredth row on, so a reject before then counts later.
                    if case .rejected = event {
                        try checkRejectLimit(rejected: totalRejected, rows: after)
                    }
                    // A run holds no reject: the count at its hundredth row is the count now.
                    let judged = RejectLimit.minimumRowsForPercent
                    if before < judged && after >= judged {
                        try checkRejectLimit(rejected: totalRejected, rows: judged)
                    }
                    if (rowsSoFar - rows) / progressEvery != rowsSoFar / progressEvery { onProgress?(after) }
                } ahead: { event in
                    if selector == nil, case .record(let record) = event.pointee { planner.prefetch(record) }
                }
            } catch let error as ImportError {
                _ = try? sink.close()
                throw error
            } catch let error as InputError {
                _ = try? sink.close()
                throw .input(error)
            } catch let error as FileWriterError {
                throw .cannotWrite(path: error.path, reason: error.reason)
            } catch {
                _ = try? sink.close()
                throw .input(InputError(file: inputs[index], message: "\(error)"))
            }
            if let before = states[index],
                let change = before.change(to: InputFileState.of(path: inputs[index]), bytesRead: stats.bytes)
            {
                _ = try? sink.close()
                throw .input(InputError(file: reader.displayName, message: change + "; nothing was sent"))
            }
            summary.rows = stats.rows
            if let used = reader.keysUsed {
                summary.idColumn = used.id
                summary.timeColumn = used.time
            }
            totalRows += stats.rows
            summaries.append(summary)
            kinds[reader.kind.rawValue] = kindSummary
            fileStats.append(stats)
        }
        onProgress?(totalRows)
        do {
            try checkRejectLimit(rejected: totalRejected, rows: totalRows, final: true)
        } catch {
            _ = try? sink.close()
            throw error
        }

        let outputs: [RejectSink.Output]
        do {
            outputs = try sink.close()
        } catch let error as FileWriterError {
            throw .cannotWrite(path: error.path, reason: error.reason)
        } catch {
            throw .cannotWrite(path: "rejects", reason: "\(error)")
        }
        for output in outputs {
            if let i = inputs.firstIndex(of: output.input) ?? summaries.firstIndex(where: { $0.path == output.input }) {
                summaries[i].rejectsPath = output.path
            }
        }
        var report: SelectionReport?
        var picked: [Selector.Picked] = []
        if var selector {
            (picked, report) = selector.finish()
            for pick in picked { planner.add(pick.record) }
        }
        let plan = planner.plan()
        return Result(
            plan: plan, inputs: summaries, kinds: kinds, fileStats: fileStats, rejectsWritten: totalRejected,
            selection: report, picked: picked)
    }

    /// What can be judged before any input is opened: each input once, scope flags usable.
    private func checkOptions() throws(ImportError) {
        let inputs = configuration.inputs
        if let (earlier, later) = InputFileState.firstDuplicate(in: inputs) {
            let what =
                inputs[later] == "-"
                ? "standard input (-) is given twice: it can be read only once"
                : inputs[later] == inputs[earlier]
                    ? "is given twice: each input is read once"
                    : "is the same file as \(inputs[earlier]) (input \(earlier + 1)): each input is read once"
            throw .input(InputError(file: inputs[later] == "-" ? "<stdin>" : inputs[later], message: what))
        }
        let options = configuration.readOptions
        for (flag, value) in [
            ("--project-id", options.projectID), ("--dataset-id", options.datasetID),
            ("--dataset-version-id", options.datasetVersionID),
        ] {
            if let value, let problem = Scope.problem(withFlagValue: value) {
                throw .input(InputError(file: flag, message: "\(value.debugDescription) \(problem)"))
            }
        }
    }

    private func checkRejectLimit(rejected: Int, rows: Int, final: Bool = false) throws(ImportError) {
        if let limit = configuration.maxRejects, limit.isExceeded(rejected: rejected, rows: rows, final: final) {
            throw .tooManyRejects(rejected: rejected, rows: rows, limit: limit)
        }
    }

    /// `--rejects FILE` with one input; otherwise `<input>.rejects.<format>` in the `--rejects`
    /// directory, or in the working directory.
    func rejectsPath(forInput index: Int, format: InputFormat) -> String {
        let input = configuration.inputs[index]
        var isDirectory: ObjCBool = false
        if let path = configuration.rejectsPath.map(configuration.resolve) {
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            if configuration.inputs.count == 1 && !(exists && isDirectory.boolValue) && !path.hasSuffix("/") {
                return path
            }
            try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return distinct(RejectSink.defaultPath(input: input, format: format, directory: path), index: index)
        }
        return distinct(
            RejectSink.defaultPath(input: input, format: format, directory: configuration.workingDirectory),
            index: index)
    }

    /// Inputs with the same base name (`day1/spans.csv`, `day2/spans.csv`, `spans.csv.gz`) would share a
    /// rejects file: each of those gets its place in the command line in the name instead.
    private func distinct(_ path: String, index: Int) -> String {
        func base(_ input: String) -> String {
            (RejectSink.defaultPath(input: input, format: .csv, directory: "") as NSString).lastPathComponent
        }
        let mine = base(configuration.inputs[index])
        guard configuration.inputs.indices.contains(where: { $0 != index && base(configuration.inputs[$0]) == mine })
        else { return path }
        let name = (path as NSString).lastPathComponent
        let renamed = name.replacingOccurrences(of: ".rejects.", with: "-\(index + 1).rejects.")
        return ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(renamed)
    }

    /// A rejects file must never be one of the inputs: writing it would destroy the input.
    private func checkRejectsPaths(formats: [InputFormat]) throws(ImportError) {
        let inputs = Set(configuration.inputs.filter { $0 != "-" }.map { realPath(configuration.resolve($0)) })
        for index in formats.indices {
            let target = rejectsPath(forInput: index, format: formats[index])
            if inputs.contains(realPath(target)) {
                throw .cannotWrite(path: target, reason: "it is one of the inputs; name another --rejects")
            }
            do throws(FileWriterError) {
                try FileWriter.checkTarget(target)
            } catch {
                throw .cannotWrite(path: error.path, reason: error.reason)
            }
        }
    }

    private func realPath(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
    }
}
