import Foundation
import LeopostPluginKit

extension MetaPlatform {
    /// Instagram's content publishing, in the three documented steps: create a container from
    /// the image's URL and the caption (`POST /{ig-user-id}/media`), check that it is FINISHED
    /// (`GET /{container-id}?fields=status_code`), publish it (`POST /{ig-user-id}/media_publish`).
    ///
    /// Only the last step can put a post on Instagram, so only its failures may leave the
    /// outcome unknown; the first two are simply retried. The plugin keeps nothing between
    /// calls and the host gives it no way to wait, so a container still IN_PROGRESS is answered
    /// with "retry in 10 s" and the next attempt makes a new one (an unpublished container
    /// expires by itself after 24 hours).
    func publishToInstagram(_ request: PublishRequest, userID: String, graph: MetaGraph) -> PluginOutcome {
        guard let image = request.media.first, image.kind == "image" else {
            return .badRequest("Instagram needs an image: attach one (video is not supported yet by this plugin)")
        }
        guard request.media.count == 1 else {
            return .badRequest("Instagram carousels (more than one image) are not supported yet by this plugin")
        }

        let created = graph.post("\(userID)/media", form: [("image_url", image.url), ("caption", request.text)])
        guard created.transport == .answered, created.status == 200 else { return MetaOutcome.failure(created, publishing: false) }
        guard let container = created.json(GraphID.self)?.id, !container.isEmpty else {
            return .retryAfter(seconds: 30, message: "Meta answered 200 to the Instagram container without an id: \(created.bodySnippet)")
        }

        let checked = graph.get(container, query: [("fields", "status_code")])
        guard checked.transport == .answered, checked.status == 200 else { return MetaOutcome.failure(checked, publishing: false) }
        let status = checked.json(GraphContainerStatus.self)?.statusCode ?? "unknown"
        switch status {
        case "FINISHED":
            break
        case "ERROR", "EXPIRED":
            return .badRequest("Instagram could not use the image at \(image.url): its container \(container) is \(status)")
        default:
            return .retryAfter(seconds: 10, message: "Instagram is still preparing the image (container \(container) is \(status))")
        }

        let published = graph.post("\(userID)/media_publish", form: [("creation_id", container)])
        guard published.transport == .answered, published.status == 200 else { return MetaOutcome.failure(published, publishing: true) }
        guard let id = published.json(GraphID.self)?.id, !id.isEmpty else {
            return .unknownOutcome("Meta answered 200 to media_publish without a media id: \(published.bodySnippet)")
        }
        return .ok(PublishAnswer(remoteID: id))
    }
}
