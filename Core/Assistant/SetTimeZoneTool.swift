/// `set_time_zone(zone)`: stores the person's time zone once they said it ("I'm in Berlin"), so
/// every later time is meant and shown in it. The chat apps have no browser to tell the zone; the
/// prompt asks the model to find it out once and call this.
public struct SetTimeZoneTool: AssistantTool {
    /// The tool's name, as the model calls it.
    public static let name = "set_time_zone"

    private let users: UserStore

    /// Creates the tool over the people's store.
    public init(users: UserStore) {
        self.users = users
    }

    public var definition: ToolDefinition {
        ToolDefinition(
            name: Self.name,
            description: "Store the person's time zone, once they told you where they are. Times are then meant and shown in it.",
            parameters: [
                "type": "object",
                "properties": ["zone": ["type": "string", "description": "An IANA time zone name, like Europe/Berlin or America/New_York."]],
                "required": ["zone"],
            ]
        )
    }

    public func label(for arguments: [String: JSONValue]) -> String { "Setting your time zone…" }

    public func run(_ arguments: [String: JSONValue], context: ToolContext) async throws -> JSONValue {
        let fields = try ToolArguments(arguments, known: ["zone"])
        let name = try fields.string("zone", required: true) ?? ""
        guard let zone = LocalTime.zone(named: name) else {
            throw ToolError(.invalidArguments, "\(name) is not an IANA time zone name; use one like Europe/Berlin or America/New_York")
        }
        try await users.setZone(name, of: context.userID, tenant: context.tenant)
        return ["time_zone": .string(name), "local_time": .string(LocalTime.display(context.now, in: zone, now: context.now))]
    }
}
