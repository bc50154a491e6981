-- The PostgreSQL work of one publish job, as the publish stage sends it (Core/Store/PostStore.swift,
-- SocialAccountStore.swift): read the post and its targets, read the account, mark the target
-- publishing, record it published; four tenant transactions, each one pipeline (BEGIN, the
-- tenant setting, the statements, COMMIT). Run by publish_reference.sh with pgbench as the role
-- the server uses, under row-level security; :n picks one of the seeded posts. The two updates
-- accept a published target, so a post picked twice costs what the first pick did.
\set n random(1, 5000)
\set t :n % 20
\startpipeline
BEGIN;
SELECT set_config('app.current_tenant', md5('tenant' || :t)::uuid::text, true);
SELECT conversation_id, text, media::text AS media, status, scheduled_at, created_at FROM posts WHERE id = md5('post' || :n)::uuid;
SELECT id, platform, status, preview::text AS preview, remote_id, remote_url, attempts, last_error, idempotency_key, sent_at, published_at
  FROM post_targets WHERE post_id = md5('post' || :n)::uuid ORDER BY platform;
COMMIT;
\endpipeline
\startpipeline
BEGIN;
SELECT set_config('app.current_tenant', md5('tenant' || :t)::uuid::text, true);
SELECT id, platform, account_id, base_url, settings::text AS settings, sealed_tokens, expires_at, status, status_reason
  FROM social_accounts WHERE account_name = 'default' AND ('noop'::text IS NULL OR platform = 'noop') ORDER BY platform;
COMMIT;
\endpipeline
\startpipeline
BEGIN;
SELECT set_config('app.current_tenant', md5('tenant' || :t)::uuid::text, true);
UPDATE post_targets SET status = 'publishing', attempts = attempts + 1, sent_at = now(), updated_at = now()
  WHERE id = md5('target' || :n)::uuid AND status = ANY('{queued,published}'::text[])
  RETURNING id, platform, status, preview::text AS preview, remote_id, remote_url, attempts, last_error, idempotency_key, sent_at, published_at;
COMMIT;
\endpipeline
\startpipeline
BEGIN;
SELECT set_config('app.current_tenant', md5('tenant' || :t)::uuid::text, true);
UPDATE post_targets SET status = 'published', remote_id = coalesce(NULL, remote_id), remote_url = coalesce(NULL, remote_url), last_error = NULL,
    published_at = CASE WHEN 'published' = 'published' THEN now() ELSE published_at END, updated_at = now()
  WHERE id = md5('target' || :n)::uuid AND status NOT IN ('cancelled')
  RETURNING id, platform, status, preview::text AS preview, remote_id, remote_url, attempts, last_error, idempotency_key, sent_at, published_at;
COMMIT;
\endpipeline
