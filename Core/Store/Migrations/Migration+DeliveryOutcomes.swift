extension Migration {
    /// Two delivery states of Leopost's own: `sending`, written before a piece is handed to the
    /// channel, so an attempt that dies or times out mid-call leaves a trace; and `unconfirmed`,
    /// what a later attempt turns that trace into instead of sending the piece a second time.
    static let deliveryOutcomes = Migration(
        version: 10,
        name: "delivery outcomes",
        sql: """
            ALTER TABLE message_deliveries DROP CONSTRAINT message_deliveries_status_check;
            ALTER TABLE message_deliveries ADD CONSTRAINT message_deliveries_status_check
                CHECK (status IN ('sending', 'sent', 'unconfirmed', 'delivered', 'read', 'failed'));
            """
    )
}
