namespace KvGrid.Results;

/// <summary>
/// The embedded store's schema, as versioned migrations (PRAGMA user_version holds the applied version). A
/// migration is frozen once released: a change to the trial row is a new migration, never an edit of an old one.
/// Lists and dictionaries are JSON text; instants are UTC ISO 8601 text ("2026-11-28T23:56:16.1234567Z", which sorts
/// chronologically); booleans are 0/1; a NaN double is the text 'NaN' (SQLite would store a NaN REAL as NULL).
/// </summary>
static class SqliteSchema
{
    public static readonly IReadOnlyList<string> Migrations =
    [
        // 1: sweeps and trials.
        """
        CREATE TABLE sweeps (
            sweep_id      TEXT PRIMARY KEY NOT NULL,
            name          TEXT NOT NULL,
            state         TEXT NOT NULL,              -- Running | Completed | Cancelled
            submitted_at  TEXT NOT NULL,              -- UTC ISO 8601
            spec_yaml     TEXT NOT NULL
        );
        CREATE TABLE trials (
            trial_id                TEXT PRIMARY KEY NOT NULL,
            sweep_id                TEXT NOT NULL,
            context_id              TEXT NOT NULL,
            model                   TEXT NOT NULL,
            benchmark               TEXT NOT NULL,
            item_id                 TEXT NOT NULL,
            defense                 TEXT NOT NULL,
            defense_order           TEXT NOT NULL,
            attack_category         TEXT,
            turn_id                 TEXT NOT NULL,
            press                   TEXT NOT NULL,
            press_params            TEXT NOT NULL,
            remedy                  TEXT NOT NULL,
            ratio                   REAL NOT NULL,
            repetition              INTEGER NOT NULL,
            status                  TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
            error                   TEXT,
            response                TEXT,
            context_tokens          INTEGER NOT NULL,
            kept_tokens             INTEGER NOT NULL,
            prompt_tokens           INTEGER NOT NULL,
            generated_tokens        INTEGER NOT NULL,
            mean_entropy            REAL NOT NULL,
            kv_bytes_before         INTEGER NOT NULL,
            kv_bytes_after          INTEGER NOT NULL,
            ifeval_instruction_ids  TEXT,              -- JSON list of strings
            ifeval_strict           TEXT,              -- JSON list of booleans
            ifeval_loose            TEXT,              -- JSON list of booleans
            rouge1_precision        REAL,
            rouge1_recall           REAL,
            rouge1_f1               REAL,
            rougel_precision        REAL,
            rougel_recall           REAL,
            rougel_f1               REAL,
            leaked                  INTEGER,           -- 0/1
            refused                 INTEGER,           -- 0/1
            span_keep               TEXT,              -- JSON object: span label -> keep rate
            prefill_ms              REAL NOT NULL,
            decode_ms               REAL NOT NULL,
            silo                    TEXT,
            device                  TEXT,
            completed_at            TEXT NOT NULL      -- UTC ISO 8601
        );
        CREATE INDEX trials_sweep_status ON trials (sweep_id, status);
        CREATE INDEX trials_sweep_context ON trials (sweep_id, context_id);
        CREATE INDEX trials_cell ON trials (model, press, remedy, ratio);
        """,
        // 2: the dtype the model ran in.
        "ALTER TABLE trials ADD COLUMN dtype TEXT;",
    ];
}
