/// Exponential backoff with full jitter (the AWS architecture blog's "full jitter"): the wait after the
/// n-th failed attempt is uniform in [0, min(cap, base * 2^(n-1))], which spreads clients that failed
/// together instead of having them retry in lock-step.
public enum Backoff {
    public static let defaultBase: Duration = .milliseconds(500)
    public static let defaultCap: Duration = .seconds(60)

    public static func delay(
        failedAttempt: Int, base: Duration = defaultBase, cap: Duration = defaultCap,
        using random: inout some RandomNumberGenerator
    ) -> Duration {
        // The exponent stops at 30: past that the cap has long won, and 2^n would overflow later.
        let exponent = min(max(failedAttempt - 1, 0), 30)
        let ceiling = min(cap.inSeconds, base.inSeconds * Double(1 << exponent))
        guard ceiling > 0 else { return .zero }
        return .seconds(Double.random(in: 0...ceiling, using: &random))
    }
}

extension Duration {
    /// The duration as (fractional) seconds.
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
