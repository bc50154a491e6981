import Foundation
import Testing

@testable import LeopostCore

@Suite("A job as the stage scripts read it")
struct StageJobScriptJSONTests {
    @Test(arguments: [
        #"{"text":"a \"quoted\" word, a back\slash"}"#, "line one\nline two\ttab\r\u{0}\u{1F}\u{7F}", "Grüße 🌷 — 日本語",
        "", "}{\",:[]",
    ])
    func everyFieldSurvivesAsJSON(payload: String) throws {
        let job = StageJob(id: "job-\"1\"", orderingKey: "conversation\\9", sequence: 42, attempt: 3, payload: payload)
        let decoded = try JSONDecoder().decode([String: String].self, from: Data(job.scriptJSON.utf8))
        #expect(decoded == ["id": job.id, "key": "conversation\\9", "seq": "42", "attempt": "3", "payload": payload])
        #expect(StageJob(id: "x", orderingKey: nil, sequence: 0, attempt: 1, payload: payload).scriptJSON.contains(#""key":"""#))
    }
}
