/**
 * The durable store of federated runs. Entry point: {@link dev.cohort.store.RunStore#open(String)},
 * which opens SQLite ({@code sqlite:/path/file.db}) or PostgreSQL ({@code jdbc:postgresql://...}),
 * migrating the schema. A server records each round with {@link dev.cohort.store.RunStore#commitRound}
 * (one transaction: round, participants, {@link dev.cohort.store.Checkpoint}) and restarts from
 * {@link dev.cohort.store.RunStore#resume}; {@link dev.cohort.store.RunHistoryFormat} prints what
 * {@code cohort runs show} shows. Everything under {@code internal} is not API.
 */
package dev.cohort.store;
