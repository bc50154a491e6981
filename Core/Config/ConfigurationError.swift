/// A configuration value Leopost refused at start-up, naming the variable so the fix is obvious.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The environment variable (or file) at fault.
    public let variable: String
    /// What is wrong with it and what a valid value looks like.
    public let message: String

    /// Creates an error.
    public init(variable: String, message: String) {
        self.variable = variable
        self.message = message
    }

    public var description: String { "\(variable): \(message)" }
}
