/**
 * Compute kernels on {@code float[]} windows: matrix multiply and vector arithmetic, used by the
 * training engine and by aggregation.
 *
 * <p>Entry points:
 *
 * <ul>
 *   <li>{@link dev.cohort.tensor.kernel.Kernels#gemm()}: the process-wide {@link
 *       dev.cohort.tensor.kernel.Gemm}, chosen by {@code -Dcohort.blas=auto|java|openblas|reference}
 *       between {@link dev.cohort.tensor.kernel.OpenBlasGemm} (FFM, no JNI) and the pure-Java
 *       {@link dev.cohort.tensor.kernel.VectorGemm}; {@link
 *       dev.cohort.tensor.kernel.Kernels#describe()} names the choice for reports.
 *   <li>{@link dev.cohort.tensor.kernel.Kernels#setIntraOpThreads(int)}: threads per kernel call.
 *   <li>{@link dev.cohort.tensor.kernel.VectorOps}: axpy, FedAvg's {@code sumInto}, reductions,
 *       bias and ReLU helpers.
 *   <li>{@link dev.cohort.tensor.kernel.WeightedSum}: several updates folded into an accumulator
 *       in one pass, the aggregation hot loop.
 * </ul>
 *
 * Everything here runs on the incubating Vector API: the JVM needs {@code --add-modules
 * jdk.incubator.vector}, and {@code --enable-native-access=ALL-UNNAMED} for OpenBLAS.
 */
package dev.cohort.tensor.kernel;
