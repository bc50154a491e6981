/// What the assistant knows about the tenant's brand; every answer is written in its voice.
public struct BrandProfile: Sendable, Equatable, Codable {
    /// The brand's name.
    public var name: String
    /// How it speaks (`warm, plain, no jargon`).
    public var voice: String
    /// Who it speaks to.
    public var audience: String
    /// What it does.
    public var industry: String
    /// Anything else the assistant should keep in mind.
    public var notes: String

    /// Creates a profile; every field may be empty.
    public init(name: String = "", voice: String = "", audience: String = "", industry: String = "", notes: String = "") {
        self.name = name
        self.voice = voice
        self.audience = audience
        self.industry = industry
        self.notes = notes
    }

    /// The limit on each field, in characters: a profile goes into every prompt, so it stays small.
    public static let fieldLimit = 2_000

    /// True when nothing has been said about the brand yet.
    public var isEmpty: Bool { [name, voice, audience, industry, notes].allSatisfy { $0.isEmpty } }
}
