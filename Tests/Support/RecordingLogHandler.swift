public import Logging
import Synchronization

/// Keeps every log line in memory, for the tests that must prove a secret never reaches the log.
public final class LogRecorder: Sendable {
    /// One line as it was logged: level, message and metadata, rendered as text.
    public struct Line: Sendable {
        /// The level it was logged at.
        public let level: Logger.Level
        /// The message with its metadata, `key=value` after it.
        public let text: String
    }

    private let lines = Mutex<[Line]>([])

    /// Creates an empty recorder.
    public init() {}

    /// Everything logged so far.
    public var recorded: [Line] { lines.withLock { $0 } }

    /// A logger at `level` (trace by default: everything) that writes here.
    public func logger(label: String = "leopost.test.recorded", level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: label) { _ in Handler(recorder: self) }
        logger.logLevel = level
        return logger
    }

    fileprivate func append(_ line: Line) { lines.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            let rendered = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            recorder.append(Line(level: event.level, text: "\(event.message) \(rendered)"))
        }
    }
}
