import Foundation

/// An X API v2 error: the problem+json body of a failed request (`{"title", "detail", "type",
/// "status"}`, with `errors: [{"message"}]` for an invalid request), or one partial error inside
/// a 200 answer (`{"title": "Not Found Error", "detail", "type", "resource_type", ...}`).
struct XProblem: Decodable {
    /// "Forbidden", "Invalid Request", "Not Found Error", ...
    var title: String?
    /// The sentence for people.
    var detail: String?
    /// A URI naming the kind of problem ("https://api.twitter.com/2/problems/resource-not-found"),
    /// or "about:blank" for plain HTTP errors.
    var type: String?
    /// The HTTP status, repeated in the body.
    var status: Int?
    /// The individual reasons of an invalid request.
    var errors: [Reason]?

    /// One reason an invalid request was refused.
    struct Reason: Decodable {
        /// "Your Tweet text is too long. ...", "Requests with bodies must have content-type of application/json."
        var message: String?
    }

    /// The most precise sentence the body holds.
    var sentence: String {
        let reasons = (errors ?? []).compactMap(\.message).filter { !$0.isEmpty }
        if !reasons.isEmpty { return reasons.joined(separator: " ") }
        return detail ?? title ?? "no details"
    }

    /// X's answer to a text the account has posted before ("You are not allowed to create a
    /// Tweet with duplicate content.", 403).
    var isDuplicateContent: Bool {
        (detail ?? "").lowercased().contains("duplicate content")
    }

    /// A missing tweet or user, reported inside a 200 answer.
    var isNotFound: Bool {
        (type ?? "").hasSuffix("/resource-not-found") || title == "Not Found Error"
    }

    /// A 403 that is about the account or the app's access rather than this post's content.
    var isAccessProblem: Bool {
        let type = type ?? ""
        let detail = (detail ?? "").lowercased()
        return type.hasSuffix("/client-forbidden") || type.hasSuffix("/unsupported-authentication")
            || ["suspended", "locked", "oauth", "permission", "not configured"].contains { detail.contains($0) }
    }
}
