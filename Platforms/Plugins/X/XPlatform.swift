import Foundation
import LeopostPluginKit

/// Posts to X through API v2 (`POST /2/tweets`) with the account's OAuth 2.0 user token.
///
/// X takes no idempotency key, so the plugin never repeats a post itself: a request without an
/// answer is an unknown outcome, and `check_status` reconciles it by reading the tweet (when its
/// id is known) or the account's latest tweets. X refuses a text the account posted recently
/// (403 "duplicate content"); that refusal can mean an earlier attempt of this very post went
/// out, so it is reported as unknown when such a tweet is found, and as a bad request otherwise.
struct XPlatform: PlatformPlugin {
    static let name = "x"
    static let version = "1.0.0"
    /// Limits from X's documentation: 280 weighted characters (twitter-text v3), links as 23;
    /// `POST /2/tweets` 100 requests per 15 minutes per user and 10,000 per 24 hours per app.
    static let manifest = """
        {"platform": "X", "api_version": "2",
         "text": {"limit": 280, "counting": "weighted", "url_length": 23},
         "media": [], "media_required": false,
         "hosts": ["https://api.x.com"], "base_url": "https://api.x.com", "account_base_url": false,
         "rate_limits": {"per_account": {"requests": 100, "seconds": 900},
                         "per_app": {"requests": 10000, "seconds": 86400}},
         "idempotent_publish": false,
         "oauth": {"authorize_url": "https://x.com/i/oauth2/authorize", "token_url": "https://api.x.com/2/oauth2/token",
                   "scopes": ["tweet.read", "tweet.write", "users.read", "offline.access"]}}
        """

    /// Said wherever media would be needed: X's media upload is not written yet.
    static let mediaRefusal = "Media upload is not supported yet by the X plugin: publish the post without media."

    func publish(_ request: PublishRequest, host: PluginHost) -> PluginOutcome {
        guard request.media.isEmpty else { return .badRequest(Self.mediaRefusal) }
        let response = host.http(
            "POST", PluginURLs.join(request.baseURL, "/2/tweets"),
            headers: PluginURLs.bearerHeaders(request.account.accessToken) + [("Content-Type", "application/json")],
            body: (try? JSONEncoder().encode(["text": request.text])) ?? Data()
        )
        if response.transport == .answered, (200..<300).contains(response.status) {
            guard let tweet = response.json(XTweetResponse.self)?.data else {
                return .unknownOutcome("X accepted the request but did not answer with the post: \(response.bodySnippet)")
            }
            return .ok(PublishAnswer(remoteID: tweet.id, url: tweet.link))
        }
        if response.transport == .answered, response.status == 403, let problem = response.json(XProblem.self), problem.isDuplicateContent {
            return duplicate(request, refusal: problem.sentence, host: host)
        }
        return XFailure.outcome(response, publishing: true, now: host.now)
    }

    func checkStatus(_ request: StatusRequest, host: PluginHost) -> PluginOutcome {
        let publish = request.publish
        if let remoteID = request.remoteID, !remoteID.isEmpty {
            let path = "/2/tweets/\(PluginURLs.pathSegment(remoteID))?tweet.fields=created_at"
            let response = host.http("GET", PluginURLs.join(publish.baseURL, path), headers: PluginURLs.bearerHeaders(publish.account.accessToken))
            if response.transport == .answered, response.status == 404 { return .ok(StatusAnswer.notFound) }
            guard response.transport == .answered, response.status == 200, let answer = response.json(XTweetResponse.self) else {
                return XFailure.outcome(response, publishing: false, now: host.now)
            }
            if let tweet = answer.data { return .ok(StatusAnswer.published(remoteID: tweet.id, url: tweet.link)) }
            if answer.errors?.contains(where: \.isNotFound) == true { return .ok(StatusAnswer.notFound) }
            return .retryAfter(seconds: 300, message: "X answered neither the tweet nor that it is missing: \(response.bodySnippet)")
        }
        // X's created_at has whole seconds (".000Z"): compare with the second the attempt began in.
        let sentAfter = Date(timeIntervalSince1970: (Double(request.sentAfterMilliseconds) / 1000).rounded(.down))
        switch recentTweet(like: publish, since: sentAfter, host: host) {
        case .found(let tweet): return .ok(StatusAnswer.published(remoteID: tweet.id, url: tweet.link))
        case .missing: return .ok(StatusAnswer.notFound)
        case .failed(let outcome): return outcome
        }
    }

    func validate(_ request: ValidateRequest, host: PluginHost) -> PluginOutcome? {
        let length = XWeightedLength.of(request.text)
        var problems: [String] = []
        if request.text.allSatisfy(\.isWhitespace), request.media.isEmpty {
            problems.append("X refuses an empty post: write some text.")
        }
        if length > XWeightedLength.limit {
            problems.append(
                "The text counts \(length) on X, where most scripts other than Latin and every emoji count 2 "
                    + "and each link 23; the limit is \(XWeightedLength.limit).")
        }
        if !request.media.isEmpty { problems.append(Self.mediaRefusal) }
        return .ok(ValidateAnswer(length: length, problems: problems))
    }

    /// The answer to a 403 "duplicate content": unknown if a tweet with this text is among the
    /// latest (perhaps an earlier attempt of this post; `check_status` decides), else refused.
    private func duplicate(_ request: PublishRequest, refusal: String, host: PluginHost) -> PluginOutcome {
        switch recentTweet(like: request, since: nil, host: host) {
        case .found(let tweet):
            return .unknownOutcome(
                "X refused the post as a duplicate of tweet \(tweet.id), which may be an earlier attempt of this post: "
                    + "it must be checked before publishing again.")
        case .missing:
            return .badRequest("X refuses to post a text this account posted recently (\(refusal)): change the text.")
        case .failed:
            return .unknownOutcome("X refused the post as a duplicate and its latest posts could not be read to tell whether it is this one.")
        }
    }

    /// What a search of the account's latest tweets found.
    private enum Lookup {
        case found(XTweet)
        case missing
        case failed(PluginOutcome)
    }

    /// The newest of the account's 20 latest tweets whose text is `publish`'s, created at or after
    /// `since` when given. Learns the user id from `GET /2/users/me` when the account has none.
    private func recentTweet(like publish: PublishRequest, since: Date?, host: PluginHost) -> Lookup {
        var userID = publish.account.accountID
        if userID.isEmpty {
            let response = host.http(
                "GET", PluginURLs.join(publish.baseURL, "/2/users/me"), headers: PluginURLs.bearerHeaders(publish.account.accessToken))
            guard response.transport == .answered, response.status == 200, let user = response.json(XUserResponse.self)?.data else {
                return .failed(XFailure.outcome(response, publishing: false, now: host.now))
            }
            userID = user.id
        }
        let path = "/2/users/\(PluginURLs.pathSegment(userID))/tweets?max_results=20&tweet.fields=created_at"
        let response = host.http("GET", PluginURLs.join(publish.baseURL, path), headers: PluginURLs.bearerHeaders(publish.account.accessToken))
        guard response.transport == .answered, response.status == 200, let timeline = response.json(XTimelineResponse.self) else {
            return .failed(XFailure.outcome(response, publishing: false, now: host.now))
        }
        if timeline.data == nil, timeline.errors?.contains(where: \.isNotFound) == true {
            return .failed(.disconnected("X does not know the account's user id \(userID): reconnect the account."))
        }
        let wanted = XText.comparable(sent: publish.text)
        let match = (timeline.data ?? []).first { tweet in
            if let since {
                guard let created = tweet.createdAt.flatMap(ISO8601Instant.parse), created >= since else { return false }
            }
            return XText.comparable(shown: tweet.text) == wanted
        }
        return match.map(Lookup.found) ?? .missing
    }
}
