/// Writes a post's text from a brief, with the model the tenant's policy chose for drafting (its
/// `draft` chain), funded and billed like every model call of the answer. The router hands one to
/// the tools through `ToolContext`, so a cheap chat model can leave the writing to a better one.
public protocol PostWriting: Sendable {
    /// The finished text of a post for `platforms` (their names, for the writer's sense of length)
    /// saying what `brief` asks for.
    /// - Throws: ``ToolError`` (`refused` when the budget cannot cover it, `unavailable` when the
    ///   drafting model failed), which goes back to the model.
    func write(brief: String, platforms: [String]) async throws -> String
}
