-- runs, rounds, participants and chunked checkpoints
-- Timestamps are milliseconds since the epoch (UTC). Checkpoint payloads are stored in chunks of
-- 1 MiB so they can be written and read without holding them in memory; each part records its size
-- and SHA-256, checked when it is read back.
CREATE TABLE runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  config TEXT NOT NULL,
  seed BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'stopped')),
  stop_reason TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE rounds (
  run_id BIGINT NOT NULL REFERENCES runs (id),
  round_number INTEGER NOT NULL CHECK (round_number >= 1),
  outcome TEXT NOT NULL CHECK (outcome IN ('completed', 'skipped', 'aborted')),
  reason TEXT,
  accuracy DOUBLE PRECISION,
  loss DOUBLE PRECISION,
  seconds DOUBLE PRECISION NOT NULL,
  participants INTEGER NOT NULL,
  epsilon DOUBLE PRECISION,
  delta DOUBLE PRECISION,
  measurements TEXT NOT NULL,
  committed_at BIGINT NOT NULL,
  PRIMARY KEY (run_id, round_number)
);

CREATE TABLE participants (
  run_id BIGINT NOT NULL,
  round_number INTEGER NOT NULL,
  position INTEGER NOT NULL,
  client TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('contributed', 'failed')),
  failure_kind TEXT,
  reason TEXT,
  PRIMARY KEY (run_id, round_number, client),
  FOREIGN KEY (run_id, round_number) REFERENCES rounds (run_id, round_number)
);

CREATE TABLE checkpoints (
  run_id BIGINT NOT NULL,
  round_number INTEGER NOT NULL,
  model_size BIGINT NOT NULL,
  model_sha256 TEXT NOT NULL,
  strategy_size BIGINT NOT NULL,
  strategy_sha256 TEXT NOT NULL,
  accountant_size BIGINT NOT NULL,
  accountant_sha256 TEXT NOT NULL,
  PRIMARY KEY (run_id, round_number),
  FOREIGN KEY (run_id, round_number) REFERENCES rounds (run_id, round_number)
);

CREATE TABLE checkpoint_chunks (
  run_id BIGINT NOT NULL,
  round_number INTEGER NOT NULL,
  part TEXT NOT NULL CHECK (part IN ('model', 'strategy', 'accountant')),
  seq INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (run_id, round_number, part, seq),
  FOREIGN KEY (run_id, round_number) REFERENCES checkpoints (run_id, round_number)
);
