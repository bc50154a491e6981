import LeopostCore
import Testing

/// The JSON values tool schemas and a model's tool arguments are made of: every shape survives a
/// round trip, and text that is not JSON is `nil`, never a crash.
@Suite("JSON values for tool schemas and arguments")
struct JSONValueTests {
    @Test func numbersStayNumbersAndBooleansStayBooleans() {
        #expect(JSONValue.parse("1") == .number(1))
        #expect(JSONValue.parse("0") == .number(0))
        #expect(JSONValue.parse("true") == .bool(true))
        #expect(JSONValue.parse("2.5") == .number(2.5))
        #expect(JSONValue.parse("null") == .null)
    }

    @Test func nestedValuesRoundTripWithSortedKeysAndWholeNumbersAsIntegers() {
        let value: JSONValue = ["b": [1, "two", false, .null], "a": ["limit": 500]]
        #expect(value.text == #"{"a":{"limit":500},"b":[1,"two",false,null]}"#)
        #expect(JSONValue.parse(value.text) == value)
    }

    @Test func textThatIsNotJSONIsNil() {
        #expect(JSONValue.parse(#"{"text": "cut off"#) == nil)
        #expect(JSONValue.parse("") == nil)
        #expect(JSONValue.parse("{'single': 'quotes'}") == nil)
    }
}
