import Testing

@testable import AQImportCore

/// The `--where` grammar, case by case: what each operator keeps, and where a syntax error points.
@Suite struct WhereGrammarTests {
    /// Evaluates `expression` over one row given as column → value (nil: missing).
    private func keeps(
        _ expression: String, _ row: [String: String?], timeColumn: String? = nil, timestamp: Timestamp? = nil
    ) throws -> Bool {
        let parsed = try WhereExpression.parse(expression)
        let filter = try WhereFilter(parsed, source: expression, timeColumn: timeColumn)
        let values = filter.columns.map { row[$0] ?? nil }
        return filter.matches(values, timestamp: timestamp)
    }

    private func errorColumn(_ expression: String) -> (column: Int, message: String)? {
        do {
            _ = try WhereExpression.parse(expression)
            return nil
        } catch {
            return (error.column, error.message)
        }
    }

    @Test(arguments: [
        ("status_code = 'OK'", true), ("status_code != 'OK'", false), ("status_code <> 'OK'", false),
        ("status_code = 'ok'", false), ("'OK' = status_code", true), ("status_code < 'P'", true),
        ("status_code >= 'OK'", true), ("status_code > 'OK'", false), ("status_code <= 'OK'", true),
    ])
    func comparesText(expression: String, expected: Bool) throws {
        #expect(try keeps(expression, ["status_code": "OK"]) == expected)
    }

    @Test(arguments: [
        ("latency_ms > 9", true), ("latency_ms < 9", false), ("latency_ms = 10.0", true),
        ("latency_ms >= 1e1", true), ("latency_ms > -3", true), ("9 < latency_ms", true),
        ("latency_ms < '9'", false),
    ])
    func comparesNumbersAsNumbers(expression: String, expected: Bool) throws {
        // As text, "10" < "9"; as numbers it is not.
        #expect(try keeps(expression, ["latency_ms": "10"]) == expected)
    }

    @Test func comparesAsTextWhenOneSideIsNoNumber() throws {
        #expect(try keeps("v < 'abc'", ["v": "10"]))
        #expect(try !keeps("v = 10", ["v": "ten"]))
        #expect(try !keeps("v = 'nan'", ["v": "NaN"]))
        #expect(try keeps("v > 2", ["v": "inf"]))  // "inf" is no number: "inf" > "2" as text
    }

    @Test func inAndNotIn() throws {
        #expect(try keeps("kind IN ('LLM', 'TOOL')", ["kind": "TOOL"]))
        #expect(try !keeps("kind IN ('LLM', 'TOOL')", ["kind": "CHAIN"]))
        #expect(try keeps("kind NOT IN ('LLM', 'TOOL')", ["kind": "CHAIN"]))
        #expect(try keeps("n in (1, 2, 3)", ["n": "2.0"]))
        #expect(try !keeps("kind NOT IN ('LLM')", ["kind": nil]))
    }

    @Test func isNullAndIsNotNull() throws {
        #expect(try keeps("label IS NULL", ["label": nil]))
        #expect(try !keeps("label IS NULL", ["label": "x"]))
        #expect(try keeps("label is not null", ["label": "x"]))
        #expect(try keeps("other IS NULL", [:]))
    }

    @Test(arguments: [
        ("%gpt%", "openai/gpt-4o", true), ("gpt%", "openai/gpt-4o", false), ("%4o", "openai/gpt-4o", true),
        ("gpt-4_", "gpt-4o", true), ("gpt-4_", "gpt-4", false), ("%", "", true), ("a%b%c", "aXbYbZc", true),
        ("a%b%c", "aXcYb", false), ("_é_", "aéb", true), ("GPT%", "gpt-4", false), ("%%x", "abx", true),
    ])
    func like(pattern: String, text: String, expected: Bool) throws {
        let quoted = pattern.replacingOccurrences(of: "'", with: "''")
        #expect(try keeps("m LIKE '\(quoted)'", ["m": text]) == expected)
        #expect(try keeps("m NOT LIKE '\(quoted)'", ["m": text]) == !expected)
    }

    @Test func andOrNotAndParentheses() throws {
        let row: [String: String?] = ["a": "1", "b": "2"]
        #expect(try keeps("a = 1 AND b = 2", row))
        #expect(try !keeps("a = 1 AND b = 3", row))
        #expect(try keeps("a = 9 OR b = 2", row))
        // AND binds tighter than OR.
        #expect(try keeps("a = 1 OR a = 9 AND b = 9", row))
        #expect(try !keeps("(a = 1 OR a = 9) AND b = 9", row))
        #expect(try keeps("NOT a = 9", row))
        #expect(try !keeps("NOT (a = 1 AND b = 2)", row))
        #expect(try keeps("not not a = 1", row))
    }

    @Test func aMissingValueIsUnknownNotFalse() throws {
        // SQL's three-valued logic: neither x = 'a' nor NOT x = 'a' keeps a row without x.
        #expect(try !keeps("x = 'a'", ["x": nil]))
        #expect(try !keeps("x != 'a'", ["x": nil]))
        #expect(try !keeps("NOT x = 'a'", ["x": nil]))
        #expect(try keeps("x = 'a' OR y = 'b'", ["x": nil, "y": "b"]))
        #expect(try !keeps("x = 'a' AND y = 'b'", ["x": nil, "y": "b"]))
    }

    @Test func quotesAndQuotedColumnNames() throws {
        #expect(try keeps("name = 'O''Brien'", ["name": "O'Brien"]))
        #expect(try keeps("\"attributes.llm.model name\" = 'x'", ["attributes.llm.model name": "x"]))
        #expect(try keeps("\"say \"\"hi\"\"\" = 'x'", ["say \"hi\"": "x"]))
        #expect(try keeps("eval.correctness.label = 'incorrect'", ["eval.correctness.label": "incorrect"]))
        #expect(try keeps("x = ''", ["x": ""]))
    }

    @Test func theIssuesExample() throws {
        let expression = "eval.correctness.label = 'incorrect' AND status_code != 'OK'"
        #expect(try keeps(expression, ["eval.correctness.label": "incorrect", "status_code": "ERROR"]))
        #expect(try !keeps(expression, ["eval.correctness.label": "incorrect", "status_code": "OK"]))
        #expect(try WhereExpression.parse(expression).columns == ["eval.correctness.label", "status_code"])
    }

    @Test func keywordsInAnyCase() throws {
        #expect(try keeps("a = 1 and b iS nOt NuLl", ["a": "1", "b": "x"]))
    }

    @Test func literalsAgainstTheTimeColumnAreTimes() throws {
        let noon = try #require(
            { if case .valid(let t) = TimestampParser.parse("2026-03-02T12:00:00Z") { t } else { nil } }())
        func at(_ e: String) throws -> Bool {
            try keeps(e, [:], timeColumn: "start_time", timestamp: noon)
        }
        #expect(try at("start_time >= '2026-03-02'"))
        #expect(try at("start_time < '2026-03-02 12:00:01'"))
        #expect(try !at("start_time < '2026-03-02T12:00:00Z'"))
        #expect(try at("start_time = '2026-03-02T13:00:00+01:00'"))
        #expect(try at("'2026-03-03' > start_time"))
        // An epoch number (seconds) against the time column is a time too.
        #expect(try at("start_time > 1772400000"))
        #expect(try !keeps("start_time > '2026-01-01'", [:], timeColumn: "start_time", timestamp: nil))
    }

    @Test func aLiteralThatIsNoTimeAgainstTheTimeColumnIsAnError() throws {
        let expression = "start_time > 'yesterday'"
        let parsed = try WhereExpression.parse(expression)
        let error = try #require(throws: WhereSyntaxError.self) {
            try WhereFilter(parsed, source: expression, timeColumn: "start_time")
        }
        #expect(error.column == 14)
        #expect(error.message.contains("not a time"))
        // Another column may hold any text.
        _ = try WhereFilter(parsed, source: expression, timeColumn: "time")
    }

    @Test(arguments: [
        ("", 1, "empty"),
        ("a = ", 5, "expected a column"),
        ("a = 'x", 5, "never closed"),
        ("a == 1", 4, "expected a column"),
        ("a ! 1", 3, "'!' must be followed"),
        ("a = 1 AND", 10, "expected a column"),
        ("a = 1 b = 2", 7, "expected AND, OR"),
        ("(a = 1", 7, "to close the '(' at column 1"),
        ("a IN 1", 6, "expected '('"),
        ("a IN (1 2)", 9, "expected ',' or ')'"),
        ("a IN ()", 7, "expected a 'string' or a number"),
        ("a IS 1", 6, "expected NULL"),
        ("a NOT = 1", 7, "expected IN or LIKE"),
        ("a LIKE b", 8, "expected a 'pattern'"),
        ("a = 1 $", 7, "unexpected character '$'"),
        ("a-b = 1", 2, "unexpected character '-' (a column name with other characters goes in double quotes)"),
        ("\"a = 1", 1, "never closed with \""),
        ("\"\" = 1", 1, "empty column name"),
        ("a = 1e", 6, "exponent"),
        ("a = 12abc", 5, "runs into a name"),
        ("'x' IS NULL", 1, "needs a column"),
        ("a", 2, "expected a comparison"),
        ("é = 1", 1, "unexpected character 'é'"),
        ("b = 'é' AND", 12, "expected a column"),
    ])
    func syntaxErrorsPointAtTheirColumn(expression: String, column: Int, message: String) throws {
        let error = try #require(errorColumn(expression))
        #expect(error.column == column, "\(expression): \(error.message)")
        #expect(error.message.contains(message), "\(expression): \(error.message)")
    }

    @Test func theMessageShowsACaretUnderTheColumn() throws {
        let error = try #require(throws: WhereSyntaxError.self) { try WhereExpression.parse("a = 1 b") }
        #expect(
            error.description
                == "--where: expected AND, OR or the end of the expression, found column \"b\" at column 7\n  a = 1 b\n        ^"
        )
    }
}
