import Testing

@testable import AQImportCore

@Suite struct ResourceIdentifierTests {
    @Test(arguments: [
        ("QW5ub3RhdGlvblF1ZXVlOjE6YUJjRA==", true),  // AnnotationQueue:1:aBcD
        ("U3BhY2U6MTpiRnVM", true),  // Space:1:bFuL
        ("bXktcXVldWU=", false),  // "my-queue": base64 but no colon
        ("my queue", false),
        ("review", false),  // not a multiple of four characters
        ("abcd", false),  // decodes, but not to UTF-8 text
        ("QW5ub3RhdGlvblF1ZXVlOjE6YUJjRA", false),  // missing padding: Python's strict decoder refuses it
        ("QW5ub3RhdGlvblF1ZXVlOjE6YUJjRA-=", false),  // not the standard alphabet
        ("", false),
    ])
    func idsAreBase64WithAColon(value: String, isID: Bool) {
        #expect(ResourceIdentifier.isID(value) == isID)
        #expect(ResourceIdentifier(value) == (isID ? .id(value) : .name(value)))
    }
}
