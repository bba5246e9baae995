/// How a run that sends (not a dry run) reaches the API and keeps its journal.
public struct DeliverySettings: Sendable {
    public var endpoint: Endpoint
    /// Where the endpoint came from, for the summary (`--endpoint`, the environment, a profile, default).
    public var endpointSource: String
    public var credential: APICredential
    /// Where the key came from, in words, for the summary.
    public var keySource: String
    public var sender: SenderConfiguration
    /// `--journal`; `nil` picks `Journal.defaultPath` under `./.aq-import/`.
    public var journalPath: String?
    /// `--restart`: keep the old journal under a new name and start over.
    public var restart: Bool
    /// Off only to measure what the journal's fsyncs cost.
    public var journalFsync: Bool
    /// `--verify`: when to list the queue to settle every id (and to take the baseline before sending).
    public var verify: VerifyMode = .auto
    /// Off with `--no-preflight`: no sample of ids is looked up before the first request.
    public var preflight = true

    public init(
        endpoint: Endpoint, endpointSource: String, credential: APICredential, keySource: String? = nil,
        sender: SenderConfiguration = SenderConfiguration(), journalPath: String? = nil, restart: Bool = false,
        journalFsync: Bool = true
    ) {
        self.endpoint = endpoint
        self.endpointSource = endpointSource
        self.credential = credential
        self.keySource = keySource ?? credential.source.description
        self.sender = sender
        self.journalPath = journalPath
        self.restart = restart
        self.journalFsync = journalFsync
    }
}
