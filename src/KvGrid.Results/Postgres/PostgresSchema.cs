namespace KvGrid.Results;

/// <summary>
/// The cluster store's schema `kvgrid`, as versioned migrations recorded in `kvgrid.schema_version`. A migration
/// is frozen once released: a change to the trial row is a new migration, never an edit of an old one.
/// Lists and dictionaries are jsonb; instants are timestamptz (microsecond precision).
/// </summary>
static class PostgresSchema
{
    public const string Name = "kvgrid";

    /// <summary>Serialises migrations of silos starting together (pg_advisory_xact_lock key; "kvgrid" in ASCII).</summary>
    public const long MigrationLockKey = 0x6B76677269640000;

    public const string VersionTable = """
        CREATE TABLE IF NOT EXISTS kvgrid.schema_version (
            version      integer PRIMARY KEY,
            description  text NOT NULL,
            applied_at   timestamptz NOT NULL DEFAULT now()
        );
        """;

    public static readonly IReadOnlyList<(string Description, string Sql)> Migrations =
    [
        ("sweeps and trials", """
        CREATE TABLE kvgrid.sweeps (
            sweep_id      text PRIMARY KEY,
            name          text NOT NULL,
            state         text NOT NULL,              -- Running | Completed | Cancelled
            submitted_at  timestamptz NOT NULL,
            spec_yaml     text NOT NULL
        );
        CREATE TABLE kvgrid.trials (
            trial_id                text PRIMARY KEY,
            sweep_id                text NOT NULL,
            context_id              text NOT NULL,
            model                   text NOT NULL,
            benchmark               text NOT NULL,
            item_id                 text NOT NULL,
            defense                 text NOT NULL,
            defense_order           text NOT NULL,
            attack_category         text,
            turn_id                 text NOT NULL,
            press                   text NOT NULL,
            press_params            text NOT NULL,
            remedy                  text NOT NULL,
            ratio                   double precision NOT NULL,
            repetition              integer NOT NULL,
            status                  text NOT NULL CHECK (status IN ('ok', 'failed')),
            error                   text,
            response                text,
            context_tokens          integer NOT NULL,
            kept_tokens             integer NOT NULL,
            prompt_tokens           integer NOT NULL,
            generated_tokens        integer NOT NULL,
            mean_entropy            double precision NOT NULL,
            kv_bytes_before         bigint NOT NULL,
            kv_bytes_after          bigint NOT NULL,
            ifeval_instruction_ids  jsonb,             -- list of strings
            ifeval_strict           jsonb,             -- list of booleans
            ifeval_loose            jsonb,             -- list of booleans
            rouge1_precision        double precision,
            rouge1_recall           double precision,
            rouge1_f1               double precision,
            rougel_precision        double precision,
            rougel_recall           double precision,
            rougel_f1               double precision,
            leaked                  boolean,
            refused                 boolean,
            span_keep               jsonb,             -- span label -> keep rate
            prefill_ms              double precision NOT NULL,
            decode_ms               double precision NOT NULL,
            silo                    text,
            device                  text,
            completed_at            timestamptz NOT NULL
        );
        CREATE INDEX trials_sweep_status ON kvgrid.trials (sweep_id, status);
        CREATE INDEX trials_sweep_context ON kvgrid.trials (sweep_id, context_id);
        CREATE INDEX trials_cell ON kvgrid.trials (model, press, remedy, ratio);
        """),
        ("the dtype the model ran in", "ALTER TABLE kvgrid.trials ADD COLUMN dtype text;"),
    ];
}
