extension Migration {
    /// The second view across tenants: `leopost_stalled_post_targets` lists the ids of post targets
    /// that should be on their way and may have lost their job (Redis lost it, or never took it):
    /// queued or publishing for longer than a while, of a confirmed post that is due (or due soon).
    ///
    /// As for messages (migration 9), the function runs as `leopost_sweeper`, which may read only
    /// the id, tenant, state and time columns of `posts` and `post_targets` (no text, no token),
    /// through policies of its own; `leopost_app` may call it and reads each target under its tenant.
    static let postSweeper = Migration(
        version: 11,
        name: "stalled post targets, listed across tenants by ids only",
        sql: """
            GRANT SELECT (id, tenant_id, status, scheduled_at) ON posts TO leopost_sweeper;
            GRANT SELECT (id, tenant_id, post_id, status, updated_at) ON post_targets TO leopost_sweeper;
            CREATE POLICY sweeper_lists_stalled ON posts FOR SELECT TO leopost_sweeper USING (true);
            CREATE POLICY sweeper_lists_stalled ON post_targets FOR SELECT TO leopost_sweeper USING (true);
            CREATE INDEX post_targets_on_their_way ON post_targets (updated_at) WHERE status IN ('queued', 'publishing');

            CREATE FUNCTION leopost_stalled_post_targets(waited_seconds integer, ahead_seconds integer, max_rows integer)
            RETURNS TABLE (tenant_id uuid, post_id uuid, target_id uuid, scheduled_at timestamptz)
            LANGUAGE sql STABLE SECURITY DEFINER
            SET search_path = pg_catalog, public, pg_temp
            AS $fn$
                SELECT t.tenant_id, t.post_id, t.id, p.scheduled_at FROM public.post_targets t
                JOIN public.posts p ON p.id = t.post_id AND p.tenant_id = t.tenant_id
                WHERE t.status IN ('queued', 'publishing') AND p.status = 'confirmed'
                  AND t.updated_at < now() - make_interval(secs => greatest(waited_seconds, 1))
                  AND (p.scheduled_at IS NULL OR p.scheduled_at < now() + make_interval(secs => greatest(ahead_seconds, 0)))
                ORDER BY t.updated_at
                LIMIT least(greatest(max_rows, 0), 10000)
            $fn$;
            GRANT CREATE ON SCHEMA public TO leopost_sweeper;
            ALTER FUNCTION leopost_stalled_post_targets(integer, integer, integer) OWNER TO leopost_sweeper;
            REVOKE CREATE ON SCHEMA public FROM leopost_sweeper;
            REVOKE ALL ON FUNCTION leopost_stalled_post_targets(integer, integer, integer) FROM PUBLIC;
            GRANT EXECUTE ON FUNCTION leopost_stalled_post_targets(integer, integer, integer) TO leopost_app;
            """
    )
}
