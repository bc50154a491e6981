public import Foundation

/// Times as a person means and reads them: parsed from ISO 8601 with an offset, shown in the
/// person's zone with its name ("Tue 2 Dec, 10:00 Europe/Berlin"), so a wrong guess of the model is
/// visible before anything is confirmed.
public enum LocalTime {
    /// Parses ISO 8601 with an offset or `Z`, seconds and fractions optional; `nil` otherwise
    /// (a time without an offset is ambiguous and refused).
    public static func parse(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count >= 16, trimmed.contains("T") else { return nil }
        let tail = trimmed.suffix(6)
        guard trimmed.hasSuffix("Z") || tail.hasPrefix("+") || tail.hasPrefix("-") else { return nil }
        for options: ISO8601DateFormatter.Options in [
            [.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds],
            [.withFullDate, .withTime, .withDashSeparatorInDate, .withColonSeparatorInTime, .withTimeZone],
        ] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            if let date = formatter.date(from: trimmed) { return date }
        }
        return nil
    }

    /// `date` as ISO 8601 in `zone`, with that zone's offset: `2026-12-03T10:00:00+01:00`.
    public static func iso(_ date: Date, in zone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = zone
        return formatter.string(from: date)
    }

    /// `date` for a person: `Tue 2 Dec, 10:00 Europe/Berlin`, the year added when it is not this year's.
    public static func display(_ date: Date, in zone: TimeZone, now: Date = Date()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let sameYear = calendar.component(.year, from: date) == calendar.component(.year, from: now)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = zone
        formatter.dateFormat = sameYear ? "EEE d MMM, HH:mm" : "EEE d MMM yyyy, HH:mm"
        return "\(formatter.string(from: date)) \(name(of: zone))"
    }

    /// UTC: the zone of a person and tenant who never said theirs.
    public static let utc = TimeZone(identifier: "UTC")!

    /// The zone's IANA name, `UTC` for UTC (which Foundation on Linux calls `GMT`).
    public static func name(of zone: TimeZone) -> String {
        zone.identifier == "GMT" ? "UTC" : zone.identifier
    }

    /// The time zone an IANA name stands for; `nil` for anything else (`Mars/Olympus`, `CET+99`).
    public static func zone(named name: String) -> TimeZone? {
        guard !name.isEmpty, name.count <= 64, TimeZone.knownTimeZoneIdentifiers.contains(name) || name == "UTC" else { return nil }
        return TimeZone(identifier: name)
    }
}
