extension ChatPage {
    /// The page (placeholder until the chat UI lands).
    static let html = #"""
        <!doctype html><html><head><meta charset="utf-8"><title>Leopost</title></head><body><h1>Leopost</h1></body></html>
        """#
}
