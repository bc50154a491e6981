extension Migration {
    /// What the chat needs beyond the canonical tables: the channel's thread a conversation
    /// answers on, when a message last changed (an answer is written while it streams), and at most
    /// one answer per question — the rule that makes a re-run router job update, not duplicate.
    static let conversations = Migration(
        version: 4,
        name: "conversation threads and one answer per message",
        sql: """
            ALTER TABLE conversations ADD COLUMN external_thread text;
            CREATE UNIQUE INDEX conversations_by_thread ON conversations (tenant_id, channel, connection_id, external_thread)
                WHERE external_thread IS NOT NULL;
            ALTER TABLE messages ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
            CREATE UNIQUE INDEX messages_one_answer ON messages (tenant_id, reply_to)
                WHERE direction = 'outbound' AND reply_to IS NOT NULL;
            CREATE INDEX feedback_by_time ON feedback (tenant_id, created_at DESC);
            """
    )
}
