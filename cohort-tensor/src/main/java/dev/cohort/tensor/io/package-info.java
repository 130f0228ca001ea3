/**
 * Checkpoint files. Entry point: {@link dev.cohort.tensor.io.Safetensors}, which writes and reads
 * {@link dev.cohort.tensor.ParameterSet}s in the safetensors format (F32 only) with free-form
 * string metadata.
 */
package dev.cohort.tensor.io;
