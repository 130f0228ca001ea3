package dev.cohort.secagg.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cohort.core.ClientId;
import dev.cohort.core.client.Mod;
import dev.cohort.core.round.FitReport;
import dev.cohort.core.transport.ClientFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whole rounds of SecAgg+ between a real server state machine and real client mods. */
class SecureFitProtocolTest {

  private static SecAggSettings settings(double threshold) {
    return SecAggSettings.defaults().withThreshold(SecAggSettings.Threshold.fraction(threshold));
  }

  /* --- sums --- */

  @Test
  void sumEqualsWeightedMeanWithinQuantisation_noDropouts() throws Exception {
    SecAggHarness h = new SecAggHarness(7, 500, 1);
    FitReport report = h.run(new SecureFitProtocol(settings(0.5)), List.of(new SecAggMod()), 1);

    assertThat(report.abort()).isEmpty();
    assertThat(report.contributors()).isEqualTo(7);
    assertThat(h.added).hasSize(1);
    float[] expected = h.weightedMean(new ArrayList<>(h.updates.keySet()), 10_000);
    assertThat(h.added.get(0).update().data()).containsExactly(expected, within(1e-5f));
    assertThat(report.measurements().get("secagg.survivors")).isEqualTo(7);
    assertThat(report.measurements().get("secagg.dropped")).isZero();
  }

  static List<Arguments> dropoutCases() {
    List<Arguments> out = new ArrayList<>();
    int[] sizes = {5, 12, 90};
    long seed = 11;
    for (SimulatedDropout.Stage stage : SimulatedDropout.Stage.values()) {
      for (int n : sizes) {
        out.add(Arguments.of(stage, n, seed++));
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0} with {1} clients, seed {2}")
  @MethodSource("dropoutCases")
  void sumOfSurvivorsIsExact_whenClientsDropAtAnyStage(SimulatedDropout.Stage stage, int n, long seed)
      throws Exception {
    SecAggHarness h = new SecAggHarness(n, 300, seed);
    SimulatedDropout dropout = someButNotTooManyDrop(h, stage, seed, n - n / 2 - 1);
    FitReport report = h.run(new SecureFitProtocol(settings(0.5)), List.of(dropout, new SecAggMod()), 3);

    List<ClientId> inSum = new ArrayList<>();
    for (ClientId c : h.updates.keySet()) {
      if (stage == SimulatedDropout.Stage.UNMASK || !dropout.drops(c.value(), 3)) {
        inSum.add(c);
      }
    }
    int droppers = n - (int) h.updates.keySet().stream().filter(c -> !dropout.drops(c.value(), 3)).count();
    assertThat(droppers).as("the seed makes someone drop").isPositive();
    assertThat(report.abort()).isEmpty();
    assertThat(report.contributors()).isEqualTo(inSum.size());
    assertThat(report.failures()).hasSize(droppers);
    assertThat(h.added.get(0).update().data()).containsExactly(h.weightedMean(inSum, 10_000), within(2e-5f));
    double recovered = report.measurements().get("secagg.recovered");
    assertThat(recovered).isEqualTo(stage == SimulatedDropout.Stage.MASKED_INPUT ? droppers : 0);
  }

  /** A dropout whose seed makes between 1 and {@code most} of the harness's clients drop in round 3. */
  private static SimulatedDropout someButNotTooManyDrop(SecAggHarness h, SimulatedDropout.Stage stage, long seed,
      int most) {
    for (long s = seed; ; s += 1000) {
      SimulatedDropout d = new SimulatedDropout(0.25, stage, s);
      long drops = h.updates.keySet().stream().filter(c -> d.drops(c.value(), 3)).count();
      if (drops >= 1 && drops <= most) {
        return d;
      }
    }
  }

  @Test
  void sparseGraphForLargeCohorts_sumStillExactWithDropouts() throws Exception {
    SecAggHarness h = new SecAggHarness(150, 200, 5);
    SimulatedDropout dropout = new SimulatedDropout(0.15, SimulatedDropout.Stage.MASKED_INPUT, 5);
    FitReport report = h.run(new SecureFitProtocol(settings(0.5).withDegree(40)), List.of(dropout, new SecAggMod()), 1);

    assertThat(report.abort()).isEmpty();
    assertThat(report.measurements().get("secagg.degree")).isEqualTo(40);
    List<ClientId> inSum = h.updates.keySet().stream().filter(c -> !dropout.drops(c.value(), 1)).toList();
    assertThat(h.added.get(0).update().data()).containsExactly(h.weightedMean(inSum, 10_000), within(2e-5f));
  }

  /* --- threshold --- */

  @Test
  void roundAbortsBelowThreshold_andAddsNothing() throws Exception {
    SecAggHarness h = new SecAggHarness(10, 50, 2);
    SimulatedDropout dropout = new SimulatedDropout(0.7, SimulatedDropout.Stage.MASKED_INPUT, 2);
    FitReport report = h.run(new SecureFitProtocol(settings(0.6)), List.of(dropout, new SecAggMod()), 1);

    assertThat(report.abort()).hasValueSatisfying(r -> assertThat(r).contains("threshold is 7"));
    assertThat(report.contributors()).isZero();
    assertThat(h.added).isEmpty();
    assertThat(report.failures()).allSatisfy(f -> assertThat(f.reason()).contains("masked input"));
  }

  @Test
  void roundAborts_whenTooFewClientsAdvertiseKeys() throws Exception {
    SecAggHarness h = new SecAggHarness(6, 10, 3);
    SimulatedDropout all = new SimulatedDropout(1.0, SimulatedDropout.Stage.ADVERTISE_KEYS, 3);
    FitReport report = h.run(new SecureFitProtocol(settings(0.5)), List.of(all, new SecAggMod()), 1);

    assertThat(report.abort()).hasValueSatisfying(r -> assertThat(r).contains("advertised keys"));
    assertThat(h.added).isEmpty();
    assertThat(report.failures()).hasSize(6).allSatisfy(f -> assertThat(f.kind()).isEqualTo(ClientFailure.Kind.CLIENT_ERROR));
  }

  /* --- misbehaving clients --- */

  @Test
  void clientSendingNonFiniteUpdate_isDroppedNotSummed() throws Exception {
    SecAggHarness h = new SecAggHarness(6, 20, 4);
    ClientId bad = h.updates.keySet().iterator().next();
    h.updates.get(bad)[3] = Float.NaN;
    FitReport report = h.run(new SecureFitProtocol(settings(0.5)), List.of(new SecAggMod()), 1);

    assertThat(report.failures()).singleElement().satisfies(f -> {
      assertThat(f.client()).isEqualTo(bad);
      assertThat(f.reason()).contains("non-finite");
    });
    List<ClientId> good = h.updates.keySet().stream().filter(c -> !c.equals(bad)).toList();
    assertThat(h.added.get(0).update().data()).containsExactly(h.weightedMean(good, 10_000), within(1e-5f));
  }

  @Test
  void clientReplyingWithWrongStagePayload_isRejectedAndDropped() throws Exception {
    SecAggHarness h = new SecAggHarness(6, 20, 6);
    ClientId liar = h.updates.keySet().iterator().next();
    Mod wrongStage = (request, context, next) -> {
      if (context.client().equals(liar) && request.payload() instanceof SecAggPayload.ShareKeysRequest) {
        return request.reply(new SecAggPayload.UnmaskShares(java.util.Map.of(), java.util.Map.of()));
      }
      return next.proceed(request);
    };
    FitReport report = h.run(new SecureFitProtocol(settings(0.5)), List.of(wrongStage, new SecAggMod()), 1);

    assertThat(report.failures()).singleElement().satisfies(f -> {
      assertThat(f.kind()).isEqualTo(ClientFailure.Kind.REJECTED);
      assertThat(f.reason()).contains("share keys").contains("expected SharesSent");
    });
    assertThat(report.abort()).isEqualTo(Optional.empty());
  }
}
