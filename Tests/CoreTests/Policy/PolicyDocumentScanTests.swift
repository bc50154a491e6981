import LeopostCore
import Testing

@Suite("Routing policy: documents that would cost more than their size")
struct PolicyDocumentScanTests {
    /// Nine levels of aliases used as mapping keys: a few hundred bytes that expand to 10^9 nodes.
    static let aliasBomb: String = {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1...9 {
            let previous = (0..<10).map { _ in "*a\(level - 1)" }.joined(separator: ", ")
            lines.append("a\(level): &a\(level) {? [\(previous)] : x, ? [\(previous), x] : y}")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    static func firstIssue(_ text: String) -> PolicyIssue? {
        do {
            _ = try PolicyParser.parse(text)
            return nil
        } catch let error as PolicyValidationError {
            return error.issues.first
        } catch {
            return nil
        }
    }

    @Test func anchorsAndAliasesAreRefusedNamingTheLine() {
        let bomb = Self.firstIssue(Self.aliasBomb)
        #expect(bomb?.line == 1 && bomb?.message.contains("anchors and aliases") == true, "\(String(describing: bomb))")
        for text in [
            "base: &b {kind: openai}\nproviders: {main: *b}\n", "providers:\n  main:\n    <<: *x\n", "platforms: [x, *y]\n",
            "posts: {require_confirmation: !!bool &t true}\n", "- &a x\n",
        ] {
            #expect(Self.firstIssue(text)?.message.contains("anchors and aliases") == true, "\(text)")
        }
    }

    @Test func ampersandsAndStarsInsideValuesAreText() throws {
        let policy = try PolicyParser.parse(
            """
            # R&D's *own* policy: 5 * 3 = 15 & more
            platforms: [mastodon, "*x", '&y']
            prices:
              - {provider: openai, model: "gpt-4o*", input_per_million: 1, output_per_million: 2}
            channels:
              - web   # comment with *stars* & ampersands
            """)
        #expect(policy.platforms == ["mastodon", "*x", "&y"])
        #expect(policy.channels == ["web"])
    }

    @Test func deepNestingAndOversizedDocumentsAreRefused() {
        let deepFlow = "providers: " + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "\n"
        #expect(Self.firstIssue(deepFlow)?.message.contains("nested too deeply") == true)
        let deepBlock = "providers:\n" + (1...100).map { String(repeating: "  ", count: $0) + "k\($0):" }.joined(separator: "\n") + " x\n"
        #expect(Self.firstIssue(deepBlock)?.message.contains("nested too deeply") == true)
        let dashes = "platforms: " + String(repeating: "- ", count: 200) + "x\n"
        #expect(Self.firstIssue(dashes)?.message.contains("nested too deeply") == true)
        let huge = "# " + String(repeating: "x", count: 70_000) + "\n"
        #expect(Self.firstIssue(huge)?.message.contains("at most 65536") == true)
    }

    @Test func theBombIsRefusedQuicklyOffThePool() async throws {
        let started = ContinuousClock.now
        await #expect(throws: PolicyValidationError.self) { _ = try await PolicyParser.parseDetached(Self.aliasBomb, rules: .init()) }
        // Not a timing assertion: the scan refuses before any expansion, so this takes microseconds, not minutes.
        let elapsed = ContinuousClock.now - started
        #expect(elapsed < .seconds(30))
    }
}
