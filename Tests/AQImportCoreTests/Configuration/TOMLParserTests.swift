import Testing

@testable import AQImportCore

@Suite struct TOMLParserTests {
    @Test func tablesKeysAndScalars() throws {
        let document = try TOMLParser.parse(
            """
            # a profile
            title = "top"   # trailing comment
            [profile]
            name = "work"

            [auth]
            auth_method = 'api-key'
            [auth.oauth]
            expires_in = 3_600
            ratio = 0.5
            big = 1e3
            small = 123e-4
            local = 07:32:00
            on = true
            off = false
            hex = 0xff
            octal = 0o17
            binary = 0b101
            negative = -42
            "quoted key" = "q"
            a.b.c = 1
            """)
        let root = TOMLValue.table(document)
        #expect(root["title"] == .string("top"))
        #expect(root["profile", "name"] == .string("work"))
        #expect(root["auth", "auth_method"] == .string("api-key"))
        #expect(root["auth", "oauth", "expires_in"] == .integer(3600))
        #expect(root["auth", "oauth", "ratio"] == .float(0.5))
        #expect(root["auth", "oauth", "big"] == .float(1000))
        #expect(root["auth", "oauth", "small"] == .float(0.0123))
        #expect(root["auth", "oauth", "local"] == .dateTime("07:32:00"))
        #expect(root["auth", "oauth", "on"] == .boolean(true))
        #expect(root["auth", "oauth", "off"] == .boolean(false))
        #expect(root["auth", "oauth", "hex"] == .integer(255))
        #expect(root["auth", "oauth", "octal"] == .integer(15))
        #expect(root["auth", "oauth", "binary"] == .integer(5))
        #expect(root["auth", "oauth", "negative"] == .integer(-42))
        #expect(root["auth", "oauth", "quoted key"] == .string("q"))
        #expect(root["auth", "oauth", "a", "b", "c"] == .integer(1))
    }

    @Test func basicStringEscapes() throws {
        let document = try TOMLParser.parse(#"s = "tab\there \"quoted\" back\\slash \u00e9 \U0001F600 nl\n""#)
        #expect(document["s"] == .string("tab\there \"quoted\" back\\slash é 😀 nl\n"))
    }

    @Test func literalStringsKeepBackslashes() throws {
        let document = try TOMLParser.parse(#"path = 'C:\Users\nobody' "#)
        #expect(document["path"] == .string(#"C:\Users\nobody"#))
    }

    @Test func multiLineStrings() throws {
        let document = try TOMLParser.parse(
            "a = \"\"\"\nline one\nline two\\\n    continued\"\"\"\nb = '''\nraw \\n'''\n")
        #expect(document["a"] == .string("line one\nline twocontinued"))
        #expect(document["b"] == .string("raw \\n"))
    }

    @Test func dateTimesArraysAndInlineTables() throws {
        let document = try TOMLParser.parse(
            """
            when = 2026-01-15T12:34:56.123456+00:00
            spaced = 2026-01-15 12:34:56Z
            list = [1, 2,
              3, # comment inside
            ]
            point = { x = 1, y = "two" }
            """)
        #expect(document["when"] == .dateTime("2026-01-15T12:34:56.123456+00:00"))
        #expect(document["spaced"] == .dateTime("2026-01-15T12:34:56Z"))
        #expect(document["list"] == .array([.integer(1), .integer(2), .integer(3)]))
        #expect(document["point"] == .table(["x": .integer(1), "y": .string("two")]))
    }

    @Test func windowsLineEndingsAndByteOrderMark() throws {
        let document = try TOMLParser.parse("\u{FEFF}[a]\r\nb = 1\r\n")
        #expect(TOMLValue.table(document)["a", "b"] == .integer(1))
    }

    @Test(arguments: [
        ("a = ", 1),
        ("a = \"open", 1),
        ("a = 1\na = 2", 2),
        ("[t]\n[t]", 2),
        ("a = bare", 1),
        ("[[items]]", 1),
        ("a = \"bad \\q escape\"", 1),
        ("a = 1 b = 2", 1),
        ("a = 1\n[a]", 2),
        ("x = { y = 1 }\nx.z = 2", 2),
        ("n = 01", 1),
        ("f = 1.", 1),
    ])
    func errorsNameTheLine(text: String, line: Int) {
        #expect {
            _ = try TOMLParser.parse(text)
        } throws: { error in
            (error as? TOMLError)?.line == line
        }
    }
}
