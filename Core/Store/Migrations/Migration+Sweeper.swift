extension Migration {
    /// The one view across tenants the server has: `leopost_stalled_messages` lists the ids of
    /// people's messages that were stored but never answered (their router job never reached
    /// Redis, or Redis lost it), so the sweeper can queue them again.
    ///
    /// The server's role, `leopost_app`, sees one tenant at a time and keeps doing so: the function
    /// runs as `leopost_sweeper`, a role that cannot log in, may read only the id, tenant, direction,
    /// status and time columns of `messages` (no text, no other table), and has a policy of its own
    /// to read them across tenants. `leopost_app` may call the function and nothing more; the
    /// function returns ids only, and the sweeper reads each message under its own tenant.
    static let sweeper = Migration(
        version: 9,
        name: "stalled messages, listed across tenants by ids only",
        sql: """
            DO $$
            BEGIN
                CREATE ROLE leopost_sweeper NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;
            END
            $$;
            GRANT leopost_sweeper TO CURRENT_USER;
            GRANT USAGE ON SCHEMA public TO leopost_sweeper;
            GRANT SELECT (id, tenant_id, direction, status, created_at) ON messages TO leopost_sweeper;
            CREATE POLICY sweeper_lists_stalled ON messages FOR SELECT TO leopost_sweeper USING (true);
            -- Only messages waiting for an answer: the sweeper's scan stays small however long the history.
            CREATE INDEX messages_awaiting_answer ON messages (created_at) WHERE direction = 'inbound' AND status = 'received';

            CREATE FUNCTION leopost_stalled_messages(waited_seconds integer, horizon_seconds integer, max_rows integer)
            RETURNS TABLE (tenant_id uuid, message_id uuid)
            LANGUAGE sql STABLE SECURITY DEFINER
            SET search_path = pg_catalog, public, pg_temp
            AS $fn$
                SELECT m.tenant_id, m.id FROM public.messages m
                WHERE m.direction = 'inbound' AND m.status = 'received'
                  AND m.created_at < now() - make_interval(secs => greatest(waited_seconds, 1))
                  AND m.created_at > now() - make_interval(secs => greatest(horizon_seconds, 1))
                ORDER BY m.created_at
                LIMIT least(greatest(max_rows, 0), 10000)
            $fn$;
            -- The new owner needs CREATE on the schema to be given the function; it keeps nothing else.
            GRANT CREATE ON SCHEMA public TO leopost_sweeper;
            ALTER FUNCTION leopost_stalled_messages(integer, integer, integer) OWNER TO leopost_sweeper;
            REVOKE CREATE ON SCHEMA public FROM leopost_sweeper;
            REVOKE ALL ON FUNCTION leopost_stalled_messages(integer, integer, integer) FROM PUBLIC;
            GRANT EXECUTE ON FUNCTION leopost_stalled_messages(integer, integer, integer) TO leopost_app;
            """
    )
}
