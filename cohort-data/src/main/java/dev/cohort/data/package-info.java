/**
 * Datasets for federated simulations: the in-memory {@link dev.cohort.data.Dataset} and the
 * loaders that fill it.
 *
 * <p>Entry points: {@link dev.cohort.data.FashionMnist#load(java.nio.file.Path,
 * dev.cohort.data.Split)} for Fashion-MNIST, {@link dev.cohort.data.CsvReader} for numeric CSV
 * tables, and {@link dev.cohort.data.IdxReader} / {@link dev.cohort.data.IdxWriter} for raw IDX
 * files. Corrupt files raise {@link dev.cohort.data.MalformedDataException}; a well-known dataset
 * that is not installed raises {@link dev.cohort.data.DatasetNotFoundException}, whose message
 * says how to install it. Splitting a dataset among clients lives in {@link
 * dev.cohort.data.partition}.
 */
package dev.cohort.data;
