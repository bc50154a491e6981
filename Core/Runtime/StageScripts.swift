/// The Lua scripts behind a stage. Each runs atomically in Redis, which is what makes the
/// runtime's guarantees hold with any number of workers and no locks held across a job.
///
/// Every script that acks an entry also deletes it (`XDEL`): a stage's stream has one consumer
/// group, so an acked entry is never read again, and keeping it would grow Redis's memory and
/// append-only file with every message ever handled.
///
/// Jobs are passed in as JSON whose values are all strings (`StageJob.scriptJSON`); times come
/// from Redis's own clock (`TIME`), so workers with skewed clocks still agree on when a retry
/// is due.
enum StageScripts {
    /// Shared Lua: re-adds a decoded job to a stream.
    private static let addJob = """
        local function add_job(stream, job)
            return redis.call('XADD', stream, '*', 'id', job.id, 'key', job.key, 'seq', job.seq,
                'attempt', job.attempt, 'payload', job.payload)
        end
        local function owns(stream, group, id, consumer)
            return #redis.call('XPENDING', stream, group, id, id, 1, consumer) == 1
        end
        local function now_ms()
            local t = redis.call('TIME')
            return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        -- The next place within an ordering key: never at or below what already finished (a counter
        -- that expired or was evicted on its own restarts above it); both counters live on.
        local function next_seq(seq_key, done_key, ttl)
            local seq = redis.call('INCR', seq_key)
            local done = tonumber(redis.call('GET', done_key) or '0')
            if seq <= done then
                seq = done + 1
                redis.call('SET', seq_key, seq)
            end
            redis.call('EXPIRE', seq_key, ttl)
            if done > 0 then redis.call('EXPIRE', done_key, ttl) end
            return tostring(seq)
        end

        """

    /// Enqueues a job once per idempotency key, numbering it within its ordering key.
    /// KEYS: stream, idempotency key, sequence key, finished key. ARGV: job JSON, use idempotency (0/1),
    /// idempotency TTL s, ordered (0/1), sequence TTL s. Returns {added 0/1, job id}.
    ///
    /// The sequence never falls behind what already finished (a counter that expired or was evicted
    /// on its own restarts above it), so a new job can never be mistaken for a finished one.
    static let enqueue = RedisScript(
        name: "stage.enqueue",
        source: addJob + """
            local job = cjson.decode(ARGV[1])
            if ARGV[2] == '1' then
                local existing = redis.call('GET', KEYS[2])
                if existing then return {0, existing} end
            end
            if ARGV[4] == '1' then job.seq = next_seq(KEYS[3], KEYS[4], ARGV[5]) end
            add_job(KEYS[1], job)
            if ARGV[2] == '1' then redis.call('SET', KEYS[2], job.id, 'EX', ARGV[3]) end
            return {1, job.id}
            """
    )

    /// Decides whether an ordered job may run now: `ready` when its predecessor finished,
    /// `parked` (acked and set aside until then) when not, `finished` when it already ran.
    /// A parked job's key joins `parked-since`, so a wait that never ends is noticed (see `unpark`).
    /// KEYS: stream, finished key, parked key, parked-since. ARGV: group, entry id, job JSON.
    static let admit = RedisScript(
        name: "stage.admit",
        source: addJob + """
            local job = cjson.decode(ARGV[3])
            local seq = tonumber(job.seq)
            local done = tonumber(redis.call('GET', KEYS[2]) or '0')
            if seq <= done then
                redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
                redis.call('XDEL', KEYS[1], ARGV[2])
                return 'finished'
            end
            if seq == done + 1 then return 'ready' end
            redis.call('ZADD', KEYS[3], seq, ARGV[3])
            redis.call('ZADD', KEYS[4], 'NX', now_ms(), job.key)
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            redis.call('XDEL', KEYS[1], ARGV[2])
            return 'parked'
            """
    )

    /// Finishes a job: acks it, optionally writes it to the dead-letter stream with its reason,
    /// and for an ordered job records it as finished and releases its parked successor.
    /// Does nothing, and returns -1, when the entry is no longer this consumer's (another worker
    /// reclaimed it, and may have finished it): only the owner records an outcome.
    /// KEYS: stream, dead letters, finished key, parked key, parked-since. ARGV: group, entry id,
    /// job JSON, dead (0/1), reason, ordered (0/1), sequence TTL s, dead-letter max length, consumer.
    static let finish = RedisScript(
        name: "stage.finish",
        source: addJob + """
            if not owns(KEYS[1], ARGV[1], ARGV[2], ARGV[9]) then return -1 end
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            redis.call('XDEL', KEYS[1], ARGV[2])
            -- The job is decoded only when needed: an unordered job that succeeded, the common
            -- case, costs an ack and a delete.
            if ARGV[4] ~= '1' and ARGV[6] ~= '1' then return 1 end
            local job = cjson.decode(ARGV[3])
            if ARGV[4] == '1' then
                redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[8], '*', 'id', job.id, 'key', job.key, 'seq', job.seq,
                    'attempt', job.attempt, 'payload', job.payload, 'reason', ARGV[5], 'failed_at', tostring(now_ms()))
            end
            if ARGV[6] == '1' then
                local seq = tonumber(job.seq)
                local done = tonumber(redis.call('GET', KEYS[3]) or '0')
                if seq > done then done = seq end
                redis.call('SET', KEYS[3], done, 'EX', ARGV[7])
                local released = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', seq + 1)
                for _, member in ipairs(released) do
                    add_job(KEYS[1], cjson.decode(member))
                    redis.call('ZREM', KEYS[4], member)
                end
                -- The key moved on: its wait, if any is left, starts over.
                if redis.call('EXISTS', KEYS[4]) == 0 then
                    redis.call('ZREM', KEYS[5], job.key)
                elseif #released > 0 then
                    redis.call('ZADD', KEYS[5], now_ms(), job.key)
                end
            end
            return 1
            """
    )

    /// Schedules a failed job's next attempt: acks the entry and adds the job (attempt already
    /// incremented) to the delayed set, due after ARGV[4] milliseconds; -1 and nothing done when
    /// the entry is no longer this consumer's.
    /// KEYS: stream, delayed. ARGV: group, entry id, job JSON, delay ms, consumer.
    static let retry = RedisScript(
        name: "stage.retry",
        source: addJob + """
            if not owns(KEYS[1], ARGV[1], ARGV[2], ARGV[5]) then return -1 end
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            redis.call('XDEL', KEYS[1], ARGV[2])
            redis.call('ZADD', KEYS[2], now_ms() + tonumber(ARGV[4]), ARGV[3])
            return 1
            """
    )

    /// Moves jobs whose retry is due from the delayed set back to the stream.
    /// KEYS: delayed, stream. ARGV: most jobs to move. Returns how many moved.
    static let promote = RedisScript(
        name: "stage.promote",
        source: addJob + """
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now_ms(), 'LIMIT', 0, ARGV[1])
            for _, member in ipairs(due) do
                add_job(KEYS[2], cjson.decode(member))
                redis.call('ZREM', KEYS[1], member)
            end
            return #due
            """
    )

    /// Hands an unfinished job back at shutdown: acks the entry and re-adds the job unchanged,
    /// so another worker takes it now instead of after the visibility timeout; -1 and nothing done
    /// when the entry is no longer this consumer's.
    /// KEYS: stream. ARGV: group, entry id, job JSON, consumer.
    static let handBack = RedisScript(
        name: "stage.handBack",
        source: addJob + """
            if not owns(KEYS[1], ARGV[1], ARGV[2], ARGV[4]) then return -1 end
            redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            redis.call('XDEL', KEYS[1], ARGV[2])
            add_job(KEYS[1], cjson.decode(ARGV[3]))
            return 1
            """
    )

    /// The heartbeat: resets the idle time of each entry still this consumer's, and names the ones
    /// that are not (reclaimed by another worker while this one was stalled, or already finished).
    /// Taking an entry back blindly (`XCLAIM` on every id) would make two owners of one job.
    /// KEYS: stream. ARGV: group, consumer, entry ids. Returns the ids no longer held.
    static let renew = RedisScript(
        name: "stage.renew",
        source: addJob + """
            local lost = {}
            for i = 3, #ARGV do
                if owns(KEYS[1], ARGV[1], ARGV[i], ARGV[2]) then
                    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
                else
                    lost[#lost + 1] = ARGV[i]
                end
            end
            return lost
            """
    )

    /// Moves a dead letter back to the stream as a first attempt; 0 and nothing done when it is
    /// gone (replayed or purged already), so two replays add one job. An ordered job is numbered
    /// anew, after every job of its key, as `enqueue` numbers one.
    /// KEYS: dead letters, stream, sequence key, finished key. ARGV: entry id, job JSON, ordered
    /// (0/1), sequence TTL s. Returns 1 when replayed.
    static let replay = RedisScript(
        name: "stage.replay",
        source: addJob + """
            if redis.call('XDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
            local job = cjson.decode(ARGV[2])
            if ARGV[3] == '1' then job.seq = next_seq(KEYS[3], KEYS[4], ARGV[4]) end
            add_job(KEYS[2], job)
            return 1
            """
    )

    /// The ordering keys whose parked jobs have waited longer than ARGV[1] ms with no progress.
    /// KEYS: parked-since. ARGV: age ms, most keys. Returns the keys.
    static let stalledKeys = RedisScript(
        name: "stage.stalledKeys",
        source: addJob + """
            return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now_ms() - tonumber(ARGV[1]), 'LIMIT', 0, ARGV[2])
            """
    )

    /// Releases the first parked job of a key whose wait never ended: its predecessor is gone (its
    /// `done` counter lost with Redis data, or the job itself), and without this the conversation
    /// would wait forever. The key counts as finished up to just before the released job, which
    /// then runs; the key's wait starts over for the jobs behind it. Does nothing when the key moved
    /// on meanwhile. KEYS: stream, finished key, parked key, parked-since. ARGV: ordering key, age ms,
    /// sequence TTL s. Returns the released job's sequence, or 0.
    static let unpark = RedisScript(
        name: "stage.unpark",
        source: addJob + """
            local since = redis.call('ZSCORE', KEYS[4], ARGV[1])
            if not since or tonumber(since) > now_ms() - tonumber(ARGV[2]) then return 0 end
            local first = redis.call('ZRANGE', KEYS[3], 0, 0)
            if #first == 0 then
                redis.call('ZREM', KEYS[4], ARGV[1])
                return 0
            end
            local job = cjson.decode(first[1])
            local seq = tonumber(job.seq)
            local done = tonumber(redis.call('GET', KEYS[2]) or '0')
            if seq - 1 > done then redis.call('SET', KEYS[2], seq - 1, 'EX', ARGV[3]) end
            redis.call('ZREM', KEYS[3], first[1])
            add_job(KEYS[1], job)
            if redis.call('EXISTS', KEYS[3]) == 0 then
                redis.call('ZREM', KEYS[4], ARGV[1])
            else
                redis.call('ZADD', KEYS[4], now_ms(), ARGV[1])
            end
            return seq
            """
    )
}
