/**
 * Privacy accounting for the Poisson-subsampled Gaussian mechanism (DP-SGD steps, DP-FedAvg
 * rounds).
 *
 * <p>Entry points: {@link dev.cohort.privacy.accounting.PrivacyAccountant}, the immutable RDP
 * accountant that is part of run state (spend {@link dev.cohort.privacy.accounting.PrivacyEvent}s,
 * read epsilon, refuse a step that would exceed a {@link
 * dev.cohort.privacy.accounting.PrivacyBudget} with {@link
 * dev.cohort.privacy.accounting.PrivacyBudgetExhaustedException}); {@link
 * dev.cohort.privacy.accounting.NoiseCalibration} for the noise multiplier that meets a target
 * epsilon; {@link dev.cohort.privacy.accounting.SampledGaussianRdp} for the RDP of one release
 * (Mironov, Talwar and Zhang 2019) and {@link dev.cohort.privacy.accounting.Conversion} for the two
 * RDP-to-(epsilon, delta) conversions (Mironov 2017; Balle et al. 2020). Two accountants of other
 * kinds cross-check the RDP one: {@link dev.cohort.privacy.accounting.PldAccountant} (privacy loss
 * distributions composed by FFT, tighter than RDP) and {@link
 * dev.cohort.privacy.accounting.GaussianDifferentialPrivacy} (exact for unsampled Gaussians, a
 * central-limit approximation otherwise).
 *
 * <p>Neighbouring datasets differ by adding or removing one record throughout. Nothing here draws
 * random numbers.
 */
package dev.cohort.privacy.accounting;
