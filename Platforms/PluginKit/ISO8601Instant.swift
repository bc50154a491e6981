public import Foundation

/// Reads the ISO 8601 instants platforms write, for every plugin: Mastodon's `created_at` with
/// milliseconds and its `X-RateLimit-Reset` with microseconds ("2020-09-08T13:25:00.019685Z"),
/// X's "2022-10-13T18:39:14.000Z", the Graph API's "2026-11-26T04:21:05+0000".
///
/// Hand-written because `ISO8601DateFormatter` refuses fractional seconds unless told to expect
/// them, and then not every length; a wrong parse here would turn a rate-limit reset into the
/// default wait or hide a post from `check_status`.
public enum ISO8601Instant {
    /// The instant, or `nil` when `text` is not `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM|±HHMM]`
    /// (no offset means UTC, as the Graph API sometimes writes).
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<(start + count)] {
                guard (0x30...0x39).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        func byte(_ index: Int, is expected: UInt8) -> Bool { index < bytes.count && bytes[index] == expected }
        guard let year = digits(0, 4), byte(4, is: 0x2D), let month = digits(5, 2), byte(7, is: 0x2D), let day = digits(8, 2),
            byte(10, is: 0x54) || byte(10, is: 0x74) || byte(10, is: 0x20),
            let hour = digits(11, 2), byte(13, is: 0x3A), let minute = digits(14, 2), byte(16, is: 0x3A), let second = digits(17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60
        else { return nil }
        var index = 19
        var fraction = 0.0
        if byte(index, is: 0x2E) {
            index += 1
            var scale = 0.1
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                fraction += Double(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
        }
        var offset = 0
        if byte(index, is: 0x5A) || byte(index, is: 0x7A) {
            index += 1
        } else if byte(index, is: 0x2B) || byte(index, is: 0x2D) {
            let sign = bytes[index] == 0x2D ? -1 : 1
            guard let hours = digits(index + 1, 2) else { return nil }
            let colon = byte(index + 3, is: 0x3A) ? 1 : 0
            guard let minutes = digits(index + 3 + colon, 2) else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
            index += 5 + colon
        } else if index != bytes.count {
            return nil
        }
        guard index == bytes.count else { return nil }
        let seconds = daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
