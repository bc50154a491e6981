import Foundation
import LeopostPluginKit

/// Where a Meta account publishes: one target per call, chosen by the account's settings.
///
/// A Meta account is a Facebook Page (`account_id` the Page id, the token a Page access token).
/// With the setting `target` = "instagram" it publishes instead to the Instagram professional
/// account linked to that Page, named by the setting `instagram_user_id`; the same Page token
/// reaches it. Posting to both is two accounts, so each post has one remote id to reconcile.
enum MetaTarget: Sendable, Equatable {
    /// A Facebook Page's feed.
    case page(id: String)
    /// An Instagram professional account.
    case instagram(userID: String)

    /// A setting that makes the account unusable until a person fixes it.
    struct Problem: Error, Sendable {
        /// What to fix, as a sentence.
        let message: String
    }

    /// The account's target, or what is missing to know it.
    static func of(_ account: PluginAccount) -> Result<MetaTarget, Problem> {
        let target = account.settings["target"]?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        if target == "instagram" {
            let userID = account.settings["instagram_user_id"]?.trimmingCharacters(in: .whitespaces) ?? ""
            guard !userID.isEmpty else {
                return .failure(Problem(message: "the Meta account targets Instagram but names no instagram_user_id: reconnect it"))
            }
            return .success(.instagram(userID: userID))
        }
        guard !account.accountID.isEmpty else {
            return .failure(Problem(message: "the Meta account names no Facebook Page id: reconnect it"))
        }
        return .success(.page(id: account.accountID))
    }
}
