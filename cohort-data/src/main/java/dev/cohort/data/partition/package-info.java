/**
 * Seeded, deterministic ways to split a {@link dev.cohort.data.Dataset} among simulated clients.
 *
 * <p>Entry point: {@link dev.cohort.data.partition.Partitioner}, with factories {@code iid()},
 * {@code dirichlet(alpha)}, {@code labelQuantity(k)}, {@code shards(n)} and {@code
 * quantitySkew(alpha)}, and {@code parse(name, params)} for configuration files. A {@link
 * dev.cohort.data.partition.Partition} turns into per-client dataset views, and its {@link
 * dev.cohort.data.partition.PartitionSummary} reports sizes and label histograms.
 */
package dev.cohort.data.partition;
