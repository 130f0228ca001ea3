package dev.cohort.secagg.protocol;

import dev.cohort.secagg.crypto.KeyAgreement;
import dev.cohort.secagg.crypto.MaskStream;
import dev.cohort.secagg.crypto.Shamir;
import dev.cohort.secagg.protocol.SecAggPayload.KeysAdvertised;
import dev.cohort.secagg.protocol.SecAggPayload.MaskedInput;
import dev.cohort.secagg.protocol.SecAggPayload.SetupRequest;
import dev.cohort.secagg.protocol.SecAggPayload.ShareKeysRequest;
import dev.cohort.secagg.protocol.SecAggPayload.ShareValue;
import dev.cohort.secagg.protocol.SecAggPayload.SharesSent;
import dev.cohort.secagg.protocol.SecAggPayload.UnmaskRequest;
import dev.cohort.secagg.protocol.SecAggPayload.UnmaskShares;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The server's side of one secure-aggregation round, as an explicit state machine over client
 * indices 1..n: {@code SETUP -> SHARING -> MASKING -> UNMASKING -> DONE}. In each stage the server
 * makes the requests ({@code *Requests()}), accepts each client's reply ({@code accept*}, which
 * returns a reason when it refuses the reply and then counts the client as dropped), and advancing
 * to the next stage checks that at least {@code threshold} clients are still in (else
 * {@link QuorumException}). The masked inputs are summed as they arrive, so memory is one vector,
 * not one per client; {@link #unmaskedSum()} reconstructs the survivors' self-mask seeds and the
 * dropped clients' masking keys from the neighbours' shares and removes their masks, leaving the
 * plain sum of the survivors' encoded inputs. The server never holds anything from which one
 * client's input could be computed (Bonawitz et al., CCS 2017; Bell et al., CCS 2020). Not
 * thread-safe; {@link #unmaskedSum()} uses {@code threads} worker threads internally.
 */
public final class SecAggServer {
  /** Where the round is. */
  public enum Stage { SETUP, SHARING, MASKING, UNMASKING, DONE }

  /** Too few clients are left to continue the round. */
  public static final class QuorumException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    QuorumException(String message) {
      super(message);
    }
  }

  private final int round;
  private final CommunicationGraph graph;
  private final int threshold;
  private final int shareThreshold;
  private final EncodingSpec encoding;
  private final int vectorLength;
  private final int threads;
  private Stage stage = Stage.SETUP;
  private final Map<Integer, KeysAdvertised> keys = new TreeMap<>();
  private final Map<Integer, Map<Integer, byte[]>> inbox = new HashMap<>(); // receiver -> sender -> sealed
  private final Set<Integer> shared = new TreeSet<>();
  private final Set<Integer> masked = new TreeSet<>();
  private final Map<Integer, Map<Integer, ShareValue>> selfShares = new HashMap<>(); // owner -> holder -> share
  private final Map<Integer, Map<Integer, ShareValue>> keyShares = new HashMap<>();
  private final Set<Integer> unmasked = new TreeSet<>();
  private Map<Integer, UnmaskRequest> unmaskRequests;
  private int[] sum;

  /**
   * @param round the round number, bound into the pairwise masks and share encryption
   * @param graph who shares with whom
   * @param threshold the fewest clients that must survive to the end
   * @param shareThreshold shares needed to reconstruct a client's secrets (at most the graph's degree)
   * @param encoding how clients encode their updates
   * @param dimension the number of floats in an update
   * @param threads worker threads for unmasking
   */
  public SecAggServer(int round, CommunicationGraph graph, int threshold, int shareThreshold, EncodingSpec encoding,
      int dimension, int threads) {
    if (threshold < 2 || threshold > graph.size()) {
      throw new IllegalArgumentException("threshold must be in [2, " + graph.size() + "] but was " + threshold);
    }
    if (shareThreshold < 1 || shareThreshold > graph.degree() + 1) {
      throw new IllegalArgumentException("shareThreshold must be in [1, " + (graph.degree() + 1) + "] but was "
          + shareThreshold);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1 but was " + threads);
    }
    this.round = round;
    this.graph = graph;
    this.threshold = threshold;
    this.shareThreshold = shareThreshold;
    this.encoding = encoding;
    this.vectorLength = encoding.vectorLength(dimension);
    this.threads = threads;
  }

  public Stage stage() {
    return stage;
  }

  /** Clients that advertised keys (U1), shared them (U2), sent masked inputs (U3). */
  public Set<Integer> advertised() {
    return Set.copyOf(keys.keySet());
  }

  public Set<Integer> sharedKeys() {
    return Set.copyOf(shared);
  }

  public Set<Integer> maskedInputs() {
    return Set.copyOf(masked);
  }

  /** Stage 0 requests, one per client. */
  public Map<Integer, SetupRequest> setupRequests() {
    expect(Stage.SETUP);
    Map<Integer, SetupRequest> out = new TreeMap<>();
    for (int i = 1; i <= graph.size(); i++) {
      out.put(i, new SetupRequest(i, graph.size(), graph.neighbours(i), shareThreshold, encoding));
    }
    return out;
  }

  /** Accepts client {@code index}'s keys; returns why they are refused, or null. */
  public String acceptKeys(int index, KeysAdvertised advertised) {
    expect(Stage.SETUP);
    checkIndex(index);
    if (keys.containsKey(index)) {
      return "client " + index + " already advertised keys";
    }
    if (advertised.encryptionKey().length != KeyAgreement.KEY_BYTES
        || advertised.maskingKey().length != KeyAgreement.KEY_BYTES) {
      return "advertised keys must be " + KeyAgreement.KEY_BYTES + " bytes each";
    }
    if (Arrays.equals(advertised.encryptionKey(), advertised.maskingKey())) {
      return "the encryption and masking keys must differ";
    }
    keys.put(index, advertised);
    return null;
  }

  /** Stage 1 requests for the clients that advertised keys: their neighbours' keys. */
  public Map<Integer, ShareKeysRequest> shareKeysRequests() {
    expect(Stage.SETUP);
    quorum(keys.keySet(), "advertised keys");
    stage = Stage.SHARING;
    Map<Integer, ShareKeysRequest> out = new TreeMap<>();
    for (int i : keys.keySet()) {
      Map<Integer, KeysAdvertised> peers = new HashMap<>();
      for (int j : graph.neighboursIn(i, keys.keySet())) {
        peers.put(j, keys.get(j));
      }
      out.put(i, new ShareKeysRequest(peers));
    }
    return out;
  }

  /** Accepts client {@code index}'s sealed shares; returns why they are refused, or null. */
  public String acceptShares(int index, SharesSent sent) {
    expect(Stage.SHARING);
    checkIndex(index);
    if (!keys.containsKey(index)) {
      return "client " + index + " sent shares without having advertised keys";
    }
    if (shared.contains(index)) {
      return "client " + index + " already sent shares";
    }
    Set<Integer> expected = new TreeSet<>(graph.neighboursIn(index, keys.keySet()));
    if (!expected.equals(new TreeSet<>(sent.ciphertexts().keySet()))) {
      return "shares must be addressed to exactly the neighbours " + expected + " but were for "
          + new TreeSet<>(sent.ciphertexts().keySet());
    }
    for (var e : sent.ciphertexts().entrySet()) {
      if (e.getValue().length != PairwiseKeys.SHARE_MESSAGE_BYTES) {
        return "the share message for " + e.getKey() + " has " + e.getValue().length + " bytes, not "
            + PairwiseKeys.SHARE_MESSAGE_BYTES;
      }
    }
    for (var e : sent.ciphertexts().entrySet()) {
      inbox.computeIfAbsent(e.getKey(), k -> new HashMap<>()).put(index, e.getValue());
    }
    shared.add(index);
    return null;
  }

  /**
   * Stage 2: for each client that shared keys, the share messages its neighbours sealed for it
   * (only from neighbours that also shared), keyed by sender.
   */
  public Map<Integer, Map<Integer, byte[]>> maskedInputRequests() {
    expect(Stage.SHARING);
    quorum(shared, "shared keys");
    stage = Stage.MASKING;
    sum = new int[vectorLength];
    Map<Integer, Map<Integer, byte[]>> out = new TreeMap<>();
    for (int i : shared) {
      Map<Integer, byte[]> forI = new HashMap<>();
      Map<Integer, byte[]> box = inbox.getOrDefault(i, Map.of());
      for (int j : graph.neighboursIn(i, shared)) {
        forI.put(j, box.get(j));
      }
      out.put(i, forI);
    }
    inbox.clear();
    return out;
  }

  /** Folds client {@code index}'s masked input into the sum; returns why it is refused, or null. */
  public String acceptMaskedInput(int index, MaskedInput input) {
    expect(Stage.MASKING);
    checkIndex(index);
    if (!shared.contains(index)) {
      return "client " + index + " sent a masked input without having shared keys";
    }
    if (masked.contains(index)) {
      return "client " + index + " already sent a masked input";
    }
    int[] v = input.vector();
    if (v.length != vectorLength) {
      return "the masked input has " + v.length + " values, not " + vectorLength;
    }
    for (int i = 0; i < v.length; i++) {
      sum[i] += v[i];
    }
    masked.add(index);
    return null;
  }

  /** Stage 3 requests for the clients whose masked inputs arrived. */
  public Map<Integer, UnmaskRequest> unmaskRequests() {
    expect(Stage.MASKING);
    quorum(masked, "sent masked inputs");
    stage = Stage.UNMASKING;
    Map<Integer, UnmaskRequest> out = new TreeMap<>();
    Set<Integer> dropped = dropped();
    for (int i : masked) {
      int[] survivors = Arrays.stream(graph.members(i)).filter(masked::contains).toArray();
      int[] gone = graph.neighboursIn(i, dropped).stream().mapToInt(Integer::intValue).toArray();
      out.put(i, new UnmaskRequest(survivors, gone));
    }
    unmaskRequests = out;
    return out;
  }

  /** Clients that shared keys but sent no masked input: their pairwise masks must be recovered. */
  public Set<Integer> dropped() {
    Set<Integer> out = new TreeSet<>(shared);
    out.removeAll(masked);
    return out;
  }

  /** Accepts client {@code index}'s revealed shares; returns why they are refused, or null. */
  public String acceptUnmask(int index, UnmaskShares shares) {
    expect(Stage.UNMASKING);
    checkIndex(index);
    UnmaskRequest asked = unmaskRequests.get(index);
    if (asked == null) {
      return "client " + index + " was not asked to unmask";
    }
    if (unmasked.contains(index)) {
      return "client " + index + " already sent its shares";
    }
    String problem = checkShares(index, shares.selfMaskShares(), asked.survivors(), "self-mask");
    if (problem == null) {
      problem = checkShares(index, shares.keyShares(), asked.dropped(), "masking-key");
    }
    if (problem != null) {
      return problem;
    }
    shares.selfMaskShares().forEach((owner, s) -> selfShares.computeIfAbsent(owner, k -> new TreeMap<>()).put(index, s));
    shares.keyShares().forEach((owner, s) -> keyShares.computeIfAbsent(owner, k -> new TreeMap<>()).put(index, s));
    unmasked.add(index);
    return null;
  }

  private String checkShares(int holder, Map<Integer, ShareValue> given, int[] expectedOwners, String kind) {
    Set<Integer> expected = new TreeSet<>();
    for (int o : expectedOwners) {
      expected.add(o);
    }
    if (!expected.equals(new TreeSet<>(given.keySet()))) {
      return kind + " shares must be for exactly " + expected + " but were for " + new TreeSet<>(given.keySet());
    }
    for (var e : given.entrySet()) {
      int point = pointOf(e.getKey(), holder);
      if (e.getValue().point() != point) {
        return kind + " share of client " + e.getKey() + " has point " + e.getValue().point() + ", not " + point;
      }
      if (e.getValue().values().length != PairwiseKeys.SHARE_WORDS) {
        return kind + " share of client " + e.getKey() + " has " + e.getValue().values().length
            + " field elements, not " + PairwiseKeys.SHARE_WORDS;
      }
      for (long v : e.getValue().values()) {
        if (v < 0 || v >= dev.cohort.secagg.crypto.PrimeField.P) {
          return kind + " share of client " + e.getKey() + " holds a value outside the field";
        }
      }
    }
    return null;
  }

  /** The evaluation point of {@code holder}'s share of {@code owner}'s secrets: its position among owner's neighbours. */
  private int pointOf(int owner, int holder) {
    int[] n = graph.members(owner);
    int p = Arrays.binarySearch(n, holder);
    return p < 0 ? -1 : p + 1;
  }

  /**
   * Removes every mask and returns the modulo-2^32 sum of the survivors' encoded inputs.
   *
   * @throws QuorumException if some survivor's self mask or some dropped client's key cannot be
   *     reconstructed because too few of its neighbours revealed their shares
   */
  public int[] unmaskedSum() throws InterruptedException {
    expect(Stage.UNMASKING);
    List<MaskJob> jobs = new ArrayList<>();
    for (int u : masked) {
      byte[] seed = reconstruct(u, selfShares, "self-mask seed");
      jobs.add(new MaskJob(seed, null, -1));
    }
    for (int v : dropped()) {
      byte[] secret = reconstruct(v, keyShares, "masking key");
      if (!Arrays.equals(KeyAgreement.publicKey(secret), keys.get(v).maskingKey())) {
        throw new QuorumException("the masking key of dropped client " + v
            + " reconstructed from its neighbours' shares does not match its advertised key; a share is corrupt");
      }
      for (int u : graph.neighboursIn(v, masked)) {
        jobs.add(new MaskJob(secret, keys.get(u).maskingKey(), -PairwiseKeys.sign(u, v)));
      }
    }
    applyMasks(jobs);
    stage = Stage.DONE;
    int[] out = sum;
    sum = null;
    return out;
  }

  /** How many masks {@link #unmaskedSum()} expands: one per survivor and one per (dropped, surviving neighbour) pair. */
  public int maskCount() {
    int count = masked.size();
    for (int v : dropped()) {
      count += graph.neighboursIn(v, masked).size();
    }
    return count;
  }

  /**
   * One mask to remove: a self-mask seed ({@code peerKey} null), or a dropped client's
   * reconstructed masking key and a survivor's public key, from which the pairwise seed is derived
   * on a worker thread (the X25519 agreement costs about as much as expanding a short mask).
   */
  private record MaskJob(byte[] secret, byte[] peerKey, int sign) {
    byte[] seed(int round) {
      return peerKey == null ? secret : PairwiseKeys.maskSeed(secret, peerKey, round);
    }
  }

  /**
   * Removes the masks in two phases on {@code threads} threads (the calling thread one of them):
   * the workers first derive the pairwise seeds, job by job, then each expands every mask over its
   * own contiguous range of the sum. Splitting the vector rather than the masks needs no partial
   * sums to allocate and add up, and the calling thread works instead of waiting.
   */
  private void applyMasks(List<MaskJob> jobs) throws InterruptedException {
    int length = sum.length;
    int blocks = (length + MaskStream.BLOCK_WORDS - 1) / MaskStream.BLOCK_WORDS;
    int workers = Math.max(1, Math.min(threads, Math.min(jobs.size(), blocks)));
    byte[][] seeds = new byte[jobs.size()][];
    int[] signs = new int[jobs.size()];
    for (int i = 0; i < jobs.size(); i++) {
      signs[i] = jobs.get(i).sign();
    }
    if (workers == 1) {
      for (int i = 0; i < jobs.size(); i++) {
        seeds[i] = jobs.get(i).seed(round);
      }
      expandRange(seeds, signs, 0, length);
      return;
    }
    int rangeWords = (blocks + workers - 1) / workers * MaskStream.BLOCK_WORDS;
    try (ExecutorService pool = Executors.newFixedThreadPool(workers - 1)) {
      onWorkers(pool, workers, w -> {
        for (int i = w; i < jobs.size(); i += workers) {
          seeds[i] = jobs.get(i).seed(round);
        }
      });
      onWorkers(pool, workers, w -> expandRange(seeds, signs, Math.min(length, w * rangeWords),
          Math.min(length, (w + 1) * rangeWords)));
    }
  }

  /** Adds every mask's words {@code [from, to)} to the sum's. */
  private void expandRange(byte[][] seeds, int[] signs, int from, int to) {
    MaskStream.Expander expander = new MaskStream.Expander();
    for (int i = 0; i < seeds.length; i++) {
      expander.addMask(sum, from, to, seeds[i], signs[i]);
    }
  }

  /** Runs {@code task} for workers 1..n-1 on {@code pool} and for worker 0 here, and waits for all. */
  private static void onWorkers(ExecutorService pool, int n, java.util.function.IntConsumer task)
      throws InterruptedException {
    List<Future<?>> others = new ArrayList<>(n - 1);
    for (int w = 1; w < n; w++) {
      int worker = w;
      others.add(pool.submit(() -> task.accept(worker)));
    }
    RuntimeException failure = null;
    try {
      task.accept(0);
    } catch (RuntimeException e) {
      failure = e;
    }
    for (Future<?> f : others) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (failure == null) {
          failure = new IllegalStateException("unmasking failed", e.getCause());
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private byte[] reconstruct(int owner, Map<Integer, Map<Integer, ShareValue>> from, String what) {
    Map<Integer, ShareValue> shares = from.getOrDefault(owner, Map.of());
    if (shares.size() < shareThreshold) {
      throw new QuorumException("the " + what + " of client " + owner + " needs " + shareThreshold
          + " shares but only " + shares.size() + " of its neighbours revealed one");
    }
    List<Shamir.Share> use = new ArrayList<>();
    for (ShareValue s : shares.values()) {
      if (use.size() == shareThreshold) {
        break;
      }
      use.add(new Shamir.Share(s.point(), shareThreshold, 32, s.values()));
    }
    return Shamir.reconstruct(use);
  }

  private void quorum(Set<Integer> left, String what) {
    if (left.size() < threshold) {
      stage = Stage.DONE;
      throw new QuorumException("only " + left.size() + " of " + graph.size() + " clients " + what
          + "; the threshold is " + threshold);
    }
  }

  private void checkIndex(int index) {
    if (index < 1 || index > graph.size()) {
      throw new ProtocolException("client index " + index + " is outside the cohort 1.." + graph.size());
    }
  }

  private void expect(Stage expected) {
    if (stage != expected) {
      throw new IllegalStateException("the round is in stage " + stage + ", not " + expected);
    }
  }
}
