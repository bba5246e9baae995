/// Why a run stopped before sending everything, with the words to tell the user what to check.
public enum DeliveryAbortReason: Sendable, Hashable, CustomStringConvertible {
    case unauthorized(status: Int, credentialSource: CredentialSource, detail: String)
    case queueNotFound(queueID: String, endpoint: String, credentialSource: CredentialSource, detail: String)
    case retryBudgetExhausted(retries: Int)
    case attemptsExhausted(request: RequestID, attempts: Int, lastCause: RetryCause)
    case unexpectedResponse(status: Int, detail: String)
    case transportFailure(TransportError)
    case insecureEndpoint(String)
    case recorderFailed(String)
    case requestSourceFailed(String)

    /// Every abort leaves the journal consistent: the same command resumes once the cause is fixed.
    public var isResumable: Bool { true }

    public var description: String {
        switch self {
        case .unauthorized(401, let source, let detail):
            "the server refused the API key (401 Unauthorized: \(detail)); the key came from \(source): "
                + "check that it is a current Arize API key"
        case .unauthorized(let status, let source, let detail):
            "the API key from \(source) is not allowed to add records to this queue (\(status) Forbidden: "
                + "\(detail)); use a key with access to the queue's space"
        case .queueNotFound(let queueID, let endpoint, let source, let detail):
            "queue not found: \(queueID) at \(endpoint) (404: \(detail)); check the queue id, that the key from "
                + "\(source) can read the queue's space, and the endpoint or ARIZE_REGION"
        case .retryBudgetExhausted(let retries):
            "retries outran successes (\(retries) retries so far): the server looks unwell; stopped instead of "
                + "retrying harder"
        case .attemptsExhausted(let request, let attempts, let lastCause):
            "request \(request) failed \(attempts) times, last with \(lastCause); the others went on, and a "
                + "resume sends it again (raise --max-attempts for a flaky link)"
        case .unexpectedResponse(let status, let detail):
            "unexpected answer \(status) from the server: \(detail); check --endpoint"
        case .transportFailure(let error):
            "\(error); check --endpoint and, for a private CA, ARIZE_SSL_CA_CERT"
        case .insecureEndpoint(let url):
            "refusing to send the API key over plain http to \(url); use https or --allow-insecure-http"
        case .recorderFailed(let message):
            "the journal could not be written: \(message)"
        case .requestSourceFailed(let message):
            "the plan could not be read: \(message)"
        }
    }
}
