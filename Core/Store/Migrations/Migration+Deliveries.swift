extension Migration {
    /// One row per piece of an answer handed to a channel that does not stream: the channel's id
    /// for it, and its delivery state as the channel reports it (WhatsApp's sent, delivered, read,
    /// failed). The delivery stage reads it to send only what is missing after a retry.
    static let deliveries = Migration(
        version: 6,
        name: "message deliveries",
        sql: """
            CREATE TABLE message_deliveries (
                tenant_id uuid NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
                message_id uuid NOT NULL,
                piece integer NOT NULL,
                channel text NOT NULL,
                external_id text NOT NULL DEFAULT '',
                status text NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'delivered', 'read', 'failed')),
                error text,
                updated_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (tenant_id, message_id, piece)
            );
            CREATE INDEX message_deliveries_by_external_id ON message_deliveries (tenant_id, channel, external_id);
            """ + isolation(of: "message_deliveries")
    )
}
