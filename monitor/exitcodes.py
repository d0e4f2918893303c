"""The documented exit codes of the `monitor` command (the README lists them)."""

OK = 0  # success: the run finished and every source was healthy
FAILURE = 1  # the run failed: no source could be crawled, or an internal error
BAD_INPUT = 2  # bad usage or input: missing file, unknown source, malformed line, corrupt store, write in query
DEGRADED = 3  # the run finished but some sources are degraded (see the report)
LOCKED = 4  # another run holds the store; nothing was done
NEW_BATCH = 5  # with --exit-code: the run flagged a new approval batch (otherwise success)

DESCRIPTIONS = {
    OK: "success",
    FAILURE: "the run failed (no source crawled, or an internal error)",
    BAD_INPUT: "bad usage or input; nothing was changed",
    DEGRADED: "finished, but some sources are degraded",
    LOCKED: "another run holds the store",
    NEW_BATCH: "a new approval batch was flagged (only with --exit-code)",
}
