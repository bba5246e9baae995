import Foundation

/// Reads the profiles of Arize's `ax` CLI as it keeps them (`ax/config/manager.py`, `schema.py`):
/// `~/.arize/profiles/<name>.toml`, the active name in `~/.arize/.active_profile`. String values have
/// `${VAR}` and `${VAR:default}` expanded from `environment`. The home directory and the environment
/// are given, so tests point it at a temporary directory.
public struct AxProfileLoader: Sendable {
    public static let regionAliases = ["US": "us-east-1b", "CA": "ca-central-1a", "EU": "eu-west-1a"]

    public var home: String
    public var environment: [String: String]

    public init(home: String, environment: [String: String]) {
        self.home = home
        self.environment = environment
    }

    public var profilesDirectory: String { home + "/.arize/profiles" }
    public var activeProfileFile: String { home + "/.arize/.active_profile" }

    public func profilePath(_ name: String) -> String { "\(profilesDirectory)/\(name).toml" }

    /// The name in `.active_profile`, or `nil` when there is none (the user does not use `ax`).
    public func activeProfileName() throws(ConfigurationError) -> String? {
        guard FileManager.default.fileExists(atPath: activeProfileFile) else { return nil }
        let text: String
        do {
            text = try String(contentsOfFile: activeProfileFile, encoding: .utf8)
        } catch {
            throw .unreadableProfile(path: display(activeProfileFile), reason: error.localizedDescription)
        }
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return name.isEmpty ? nil : name
    }

    /// The profile names present, sorted.
    public func availableProfiles() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: profilesDirectory)) ?? []
        return files.filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// The profile named `name` (`--profile NAME`), else the active one. `nil` when no name is given
    /// (or it is empty) and no profile is active; a named profile that does not exist is an error.
    public func load(profile name: String?) throws(ConfigurationError) -> AxProfile? {
        let named = name.flatMap { $0.isEmpty ? nil : $0 }
        let active = named == nil ? try activeProfileName() : nil
        guard let chosen = named ?? active else { return nil }
        let path = profilePath(chosen)
        guard !chosen.contains("/"), FileManager.default.fileExists(atPath: path) else {
            throw .profileNotFound(name: chosen, path: display(path), available: availableProfiles())
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadableProfile(path: display(path), reason: error.localizedDescription)
        }
        return try Self.parse(text, name: chosen, path: path, displayPath: display(path), environment: environment)
    }

    /// `path` with the home directory shown as `~`.
    public func display(_ path: String) -> String {
        let prefix = home.hasSuffix("/") ? String(home.dropLast()) : home
        guard !prefix.isEmpty, path.hasPrefix(prefix + "/") else { return path }
        return "~" + path.dropFirst(prefix.count)
    }

    // MARK: Parsing

    /// A profile from the text of its file.
    public static func parse(
        _ text: String, name: String, path: String, displayPath: String, environment: [String: String]
    ) throws(ConfigurationError) -> AxProfile {
        let document: [String: TOMLValue]
        do {
            document = try TOMLParser.parse(text)
        } catch {
            throw .invalidTOML(path: displayPath, error)
        }
        let expanded: TOMLValue
        do {
            expanded = try expand(.table(document), environment: environment)
        } catch {
            switch error {
            case .unset(let variable): throw .unsetVariable(name: name, path: displayPath, variable: variable)
            }
        }
        var reader = Reader(root: expanded, name: name, path: displayPath)
        var profile = AxProfile(name: name, path: path, displayPath: displayPath, authentication: .none)
        profile.authentication = try reader.authentication()
        try reader.routing(into: &profile)
        profile.requestVerify = try reader.requestVerify()
        return profile
    }

    private static func expand(_ value: TOMLValue, environment: [String: String]) throws(VariableExpander.Failure)
        -> TOMLValue
    {
        switch value {
        case .string(let text):
            return .string(try VariableExpander.expand(text, environment: environment))
        case .array(let items):
            var out: [TOMLValue] = []
            for item in items { out.append(try expand(item, environment: environment)) }
            return .array(out)
        case .table(let table):
            var out: [String: TOMLValue] = [:]
            for (key, item) in table { out[key] = try expand(item, environment: environment) }
            return .table(out)
        default:
            return value
        }
    }

    /// Typed access to the profile's tables, with errors that name the key.
    private struct Reader {
        let root: TOMLValue
        let name: String
        let path: String

        func invalid(_ reason: String) -> ConfigurationError {
            .invalidProfile(name: name, path: path, reason: reason)
        }

        /// A non-empty string, or `nil` when absent or empty (ax writes no empty values, and treats
        /// empty routing fields as unset).
        func string(_ keys: String...) throws(ConfigurationError) -> String? {
            guard let value = root[keys] else { return nil }
            guard case .string(let text) = value else {
                throw invalid("\(keys.joined(separator: ".")) must be a string")
            }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }

        func authentication() throws(ConfigurationError) -> AxProfile.Authentication {
            guard let auth = root["auth"] else { return .none }
            guard auth.tableValue != nil else { throw invalid("auth must be a table") }
            let apiKey = try string("auth", "api_key")
            let oauth = root["auth", "oauth"]
            if let oauth, oauth.tableValue == nil { throw invalid("auth.oauth must be a table") }
            // Profiles written before ax had auth_method are inferred from the credential present.
            let method = try string("auth", "auth_method") ?? (apiKey != nil ? "api-key" : oauth != nil ? "oauth" : nil)
            switch method {
            case nil:
                return .none
            case "api-key":
                guard let apiKey else { throw invalid("auth_method is api-key but auth.api_key is missing or empty") }
                return .apiKey(apiKey)
            case "oauth":
                guard oauth != nil else { return .oauthLoggedOut }
                guard let token = try string("auth", "oauth", "access_token") else {
                    throw invalid("auth.oauth.access_token is missing or empty")
                }
                guard let expiry = root["auth", "oauth", "expires_at"] else {
                    throw invalid("auth.oauth.expires_at is missing")
                }
                guard let expiresAt = AxProfileLoader.date(from: expiry) else {
                    throw invalid("auth.oauth.expires_at is neither an ISO 8601 time nor epoch seconds")
                }
                return .oauth(accessToken: token, expiresAt: expiresAt)
            case let other?:
                throw invalid("auth_method \(other.debugDescription) is neither api-key nor oauth")
            }
        }

        func routing(into profile: inout AxProfile) throws(ConfigurationError) {
            if let routing = root["routing"], routing.tableValue == nil { throw invalid("routing must be a table") }
            let region = try string("routing", "region")
            let singleHost = try string("routing", "single_host")
            let singlePort = try port("single_port")
            let baseDomain = try string("routing", "base_domain")
            let apiHost = try string("routing", "api_host")
            let apiScheme = try string("routing", "api_scheme")

            var chosen: [String] = []
            if let region { chosen.append("region=\(region)") }
            if singleHost != nil || singlePort != nil { chosen.append("single_host/single_port") }
            if let baseDomain { chosen.append("base_domain=\(baseDomain)") }
            guard chosen.count <= 1 else {
                throw invalid(
                    "[routing] may set only one of region, single_host/single_port and base_domain; it sets "
                        + chosen.joined(separator: ", "))
            }

            var endpoint = Endpoint()
            if let apiScheme {
                guard ["http", "https"].contains(apiScheme.lowercased()) else {
                    throw invalid("routing.api_scheme \(apiScheme.debugDescription) must be http or https")
                }
                endpoint.scheme = apiScheme.lowercased()
            }
            if let apiHost { try setHost(apiHost, key: "api_host", on: &endpoint) }
            if let region {
                let zone = AxProfileLoader.regionAliases[region.uppercased()] ?? region.lowercased()
                guard Endpoint.regions.contains(zone) else {
                    throw invalid(
                        "unknown region \(region.debugDescription); use US, CA, EU or one of "
                            + Endpoint.regions.joined(separator: ", "))
                }
                profile.region = zone
                endpoint.host = "api.\(zone).arize.com"
                endpoint.port = nil
            }
            if let baseDomain {
                try setHost("api." + baseDomain, key: "base_domain", on: &endpoint)
            }
            if let singleHost { try setHost(singleHost, key: "single_host", on: &endpoint) }
            if let singlePort { endpoint.port = singlePort }
            profile.endpoint = endpoint
            profile.setsEndpoint =
                region != nil || singleHost != nil || singlePort != nil || baseDomain != nil || apiHost != nil
                || apiScheme != nil
        }

        private func setHost(_ text: String, key: String, on endpoint: inout Endpoint) throws(ConfigurationError) {
            do {
                let (host, port) = try Endpoint.splitHostPort(text, origin: "routing.\(key)")
                endpoint.host = host
                endpoint.port = port
            } catch {
                throw invalid(error.errorDescription ?? "routing.\(key) is not a host name")
            }
        }

        /// `single_port` as ax writes it (a string) or as a user might (an integer); `0` means unset.
        private func port(_ key: String) throws(ConfigurationError) -> Int? {
            let number: Int
            switch root["routing", key] {
            case nil: return nil
            case .integer(let value)?: number = value
            case .string(let text)?:
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty { return nil }
                guard let value = Int(trimmed) else {
                    throw invalid("routing.\(key) \(text.debugDescription) is not a port")
                }
                number = value
            default: throw invalid("routing.\(key) must be a port number")
            }
            if number == 0 { return nil }
            guard (1...65_535).contains(number) else { throw invalid("routing.\(key) \(number) is not a port") }
            return number
        }

        /// ax's `_str_to_bool`: a boolean, or a string that is true when it is 1, true, yes or on.
        func requestVerify() throws(ConfigurationError) -> Bool {
            switch root["security", "request_verify"] {
            case nil: return true
            case .boolean(let value)?: return value
            case .integer(let value)?: return value != 0
            case .string(let text)?: return AxProfileLoader.truthy(text)
            default: throw invalid("security.request_verify must be true or false")
            }
        }
    }

    /// ax's reading of a boolean string: 1, true, yes and on (any case) are true, all else false.
    public static func truthy(_ text: String) -> Bool {
        ["1", "true", "yes", "on"].contains(text.trimmingCharacters(in: .whitespaces).lowercased())
    }

    // MARK: Times

    /// An expiry as ax's pydantic model accepts it: a TOML date-time or an ISO 8601 string (no offset
    /// means UTC), or a number of seconds since 1970 (milliseconds when above 2e10, as pydantic reads it).
    static func date(from value: TOMLValue) -> Date? {
        switch value {
        case .dateTime(let text), .string(let text):
            if let number = Double(text.trimmingCharacters(in: .whitespaces)) { return epoch(number) }
            return isoDate(text)
        case .integer(let number): return epoch(Double(number))
        case .float(let number): return number.isFinite ? epoch(number) : nil
        default: return nil
        }
    }

    private static func epoch(_ number: Double) -> Date {
        Date(timeIntervalSince1970: abs(number) > 2e10 ? number / 1000 : number)
    }

    /// `YYYY-MM-DD[T ]HH:MM[:SS[.fraction]][Z|±HH:MM|±HHMM]`, or a bare date (midnight UTC).
    static func isoDate(_ text: String) -> Date? {
        let chars = Array(text.trimmingCharacters(in: .whitespaces))
        var index = 0
        func number(_ width: Int) -> Int? {
            guard index + width <= chars.count else { return nil }
            var value = 0
            for char in chars[index..<index + width] {
                guard let digit = char.wholeNumberValue, char.isASCII else { return nil }
                value = value * 10 + digit
            }
            index += width
            return value
        }
        func take(_ char: Character) -> Bool {
            guard index < chars.count, chars[index] == char else { return false }
            index += 1
            return true
        }
        guard let year = number(4), take("-"), let month = number(2), take("-"), let day = number(2) else {
            return nil
        }
        var components = DateComponents(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        var fraction = 0.0
        var offset = 0
        if index < chars.count {
            guard take("T") || take("t") || take(" "), let hour = number(2), take(":"), let minute = number(2) else {
                return nil
            }
            components.hour = hour
            components.minute = minute
            if take(":") {
                guard let second = number(2) else { return nil }
                components.second = second
                if take(".") || take(",") {
                    let start = index
                    while index < chars.count, chars[index].isASCII, chars[index].isNumber { index += 1 }
                    guard index > start, let value = Double("0." + String(chars[start..<index])) else { return nil }
                    fraction = value
                }
            }
            if take("Z") || take("z") {
            } else if index < chars.count {
                let sign: Int
                if take("+") { sign = 1 } else if take("-") { sign = -1 } else { return nil }
                guard let hours = number(2) else { return nil }
                _ = take(":")
                let minutes = index < chars.count ? number(2) : 0
                guard let minutes else { return nil }
                offset = sign * (hours * 3600 + minutes * 60)
            }
            guard index == chars.count else { return nil }
        }
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(components.hour!),
            (0...59).contains(components.minute!), (0...60).contains(components.second!)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let base = calendar.date(from: components) else { return nil }
        return base.addingTimeInterval(fraction - Double(offset))
    }
}
