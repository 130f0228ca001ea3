/**
 * Serialised run state for checkpoints: {@link dev.cohort.privacy.state.StateCodec} turns the
 * aggregation and round-gate states a run carries between rounds into versioned bytes and back.
 */
package dev.cohort.privacy.state;
