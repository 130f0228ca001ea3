package dev.cohort.secagg.protocol;

import dev.cohort.core.message.FitResult;
import dev.cohort.secagg.crypto.Aead;
import dev.cohort.secagg.crypto.AeadException;
import dev.cohort.secagg.crypto.KeyAgreement;
import dev.cohort.secagg.crypto.MaskStream;
import dev.cohort.secagg.crypto.Shamir;
import dev.cohort.secagg.protocol.SecAggPayload.KeysAdvertised;
import dev.cohort.secagg.protocol.SecAggPayload.MaskedInput;
import dev.cohort.secagg.protocol.SecAggPayload.MaskedInputRequest;
import dev.cohort.secagg.protocol.SecAggPayload.SetupRequest;
import dev.cohort.secagg.protocol.SecAggPayload.ShareKeysRequest;
import dev.cohort.secagg.protocol.SecAggPayload.ShareValue;
import dev.cohort.secagg.protocol.SecAggPayload.SharesSent;
import dev.cohort.secagg.protocol.SecAggPayload.UnmaskRequest;
import dev.cohort.secagg.protocol.SecAggPayload.UnmaskShares;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * One client's side of one secure-aggregation round, as an explicit state machine:
 * {@code ADVERTISED -> SHARED -> MASKED -> DONE}, each transition taken by one server message. A
 * message out of stage, malformed or inconsistent with earlier ones throws a
 * {@link ProtocolException} and the state is left unchanged, so a replayed or forged message can
 * never make the client reveal anything. In particular, unmasking answers at most once and
 * refuses a request that names the same peer both as a survivor and as dropped: revealing both
 * the self-mask share and the masking-key share of one peer would let the server unmask that
 * peer's individual input (Bonawitz et al., CCS 2017, section 4). Not thread-safe.
 */
public final class SecAggClient {
  /** Where the client is in the round. */
  public enum Stage { ADVERTISED, SHARED, MASKED, DONE }

  private final int round;
  private final SetupRequest setup;
  private final SecureRandom random;
  private final KeyAgreement.KeyPair encryption;
  private final KeyAgreement.KeyPair masking;
  private final Set<Integer> neighbours = new HashSet<>();
  private Stage stage = Stage.ADVERTISED;
  private Map<Integer, KeysAdvertised> peers;
  private byte[] selfMaskSeed;
  private final Map<Integer, PairwiseKeys.ShareMessage> held = new HashMap<>();
  private PairwiseKeys.ShareMessage ownShare;
  private final Map<Integer, byte[]> shareKeys = new HashMap<>();

  private SecAggClient(int round, SetupRequest setup, SecureRandom random) {
    this.round = round;
    this.setup = setup;
    this.random = random;
    this.encryption = KeyAgreement.generateKeyPair(random);
    this.masking = KeyAgreement.generateKeyPair(random);
    for (int j : setup.neighbours()) {
      if (j < 1 || j > setup.cohortSize() || j == setup.index() || !neighbours.add(j)) {
        throw new ProtocolException("setup lists an invalid neighbour " + j + " for client " + setup.index()
            + " of " + setup.cohortSize());
      }
    }
  }

  /** Starts a round from the server's setup; the keys to advertise are then {@link #advertisedKeys()}. */
  public static SecAggClient start(int round, SetupRequest setup, SecureRandom random) {
    return new SecAggClient(round, setup, random);
  }

  public Stage stage() {
    return stage;
  }

  /** This client's index in the cohort. */
  public int index() {
    return setup.index();
  }

  /** The public keys this client advertises (stage 0 reply). */
  public KeysAdvertised advertisedKeys() {
    return new KeysAdvertised(encryption.publicKey(), masking.publicKey());
  }

  /** Stage 1: checks the neighbours' keys, then seals shares of the self-mask seed and masking key for each. */
  public SharesSent shareKeys(ShareKeysRequest request) {
    expect(Stage.ADVERTISED, "share keys");
    Map<Integer, KeysAdvertised> given = new TreeMap<>(request.peers());
    Set<String> seenKeys = new HashSet<>();
    seenKeys.add(Arrays.toString(encryption.publicKey()));
    seenKeys.add(Arrays.toString(masking.publicKey()));
    for (var e : given.entrySet()) {
      if (!neighbours.contains(e.getKey())) {
        throw new ProtocolException("share keys names " + e.getKey() + ", which is not a neighbour of client "
            + setup.index());
      }
      KeysAdvertised k = e.getValue();
      if (k.encryptionKey().length != KeyAgreement.KEY_BYTES || k.maskingKey().length != KeyAgreement.KEY_BYTES) {
        throw new ProtocolException("client " + e.getKey() + "'s keys are not " + KeyAgreement.KEY_BYTES + " bytes");
      }
      if (!seenKeys.add(Arrays.toString(k.encryptionKey())) || !seenKeys.add(Arrays.toString(k.maskingKey()))) {
        throw new ProtocolException("client " + e.getKey() + " advertises a key that another party also uses");
      }
    }
    if (given.size() + 1 < setup.shareThreshold()) {
      throw new ProtocolException("only " + given.size() + " neighbours are left but " + (setup.shareThreshold() - 1)
          + " are needed to share keys");
    }
    selfMaskSeed = new byte[MaskStream.SEED_BYTES];
    random.nextBytes(selfMaskSeed);
    int[] all = members();
    List<Shamir.Share> selfShares = Shamir.split(selfMaskSeed, all.length, setup.shareThreshold(), random);
    List<Shamir.Share> keyShares = Shamir.split(masking.privateKey(), all.length, setup.shareThreshold(), random);
    Map<Integer, byte[]> out = new HashMap<>();
    Aead.Engine aead = new Aead.Engine();
    for (int p = 0; p < all.length; p++) {
      int j = all[p];
      if (j == setup.index()) {
        ownShare = new PairwiseKeys.ShareMessage(p + 1, selfShares.get(p).values(), keyShares.get(p).values());
        continue;
      }
      KeysAdvertised peer = given.get(j);
      if (peer == null) {
        continue;
      }
      byte[] plaintext = PairwiseKeys.sharePlaintext(p + 1, selfShares.get(p).values(), keyShares.get(p).values());
      byte[] key = PairwiseKeys.shareKey(encryption.privateKey(), peer.encryptionKey());
      shareKeys.put(j, key);
      out.put(j, aead.seal(key, plaintext, Aead.associatedData(round, setup.index(), j), random));
    }
    peers = given;
    stage = Stage.SHARED;
    return new SharesSent(out);
  }

  /**
   * Stage 2: opens the shares the neighbours sealed for this client, encodes {@code fit}'s update
   * with the round's {@link EncodingSpec} and masks it with the self mask and one pairwise mask per
   * neighbour that shared keys.
   */
  public MaskedInput maskInput(MaskedInputRequest request, FitResult fit, RandomGenerator encodingRandom) {
    expect(Stage.SHARED, "masked input");
    Map<Integer, PairwiseKeys.ShareMessage> opened = new HashMap<>();
    Aead.Engine aead = new Aead.Engine();
    for (var e : request.ciphertexts().entrySet()) {
      int j = e.getKey();
      KeysAdvertised peer = peers.get(j);
      if (peer == null) {
        throw new ProtocolException("masked input carries shares from " + j
            + ", which did not take part in key sharing with client " + setup.index());
      }
      byte[] key = shareKeys.get(j);
      byte[] plaintext;
      try {
        plaintext = aead.open(key, e.getValue(), Aead.associatedData(round, j, setup.index()));
      } catch (AeadException ex) {
        throw new ProtocolException("the shares from client " + j + " fail authentication", ex);
      }
      opened.put(j, PairwiseKeys.ShareMessage.parse(plaintext));
    }
    if (opened.size() + 1 < setup.shareThreshold()) {
      throw new ProtocolException("only " + opened.size() + " neighbours shared keys but "
          + (setup.shareThreshold() - 1) + " are needed");
    }
    float[] update = fit.update().data();
    int[] vector = setup.encoding().encode(update, fit.examples(), encodingRandom);
    MaskStream.Expander masks = new MaskStream.Expander();
    masks.addMask(vector, selfMaskSeed, 1);
    for (int j : new TreeMap<>(opened).keySet()) {
      byte[] seed = PairwiseKeys.maskSeed(masking.privateKey(), peers.get(j).maskingKey(), round);
      masks.addMask(vector, seed, PairwiseKeys.sign(setup.index(), j));
    }
    held.putAll(opened);
    held.put(setup.index(), ownShare);
    shareKeys.clear();
    stage = Stage.MASKED;
    return new MaskedInput(vector, fit.metrics());
  }

  /**
   * Stage 3: reveals the self-mask shares of neighbours that survived and the masking-key shares
   * of neighbours that dropped after sharing keys, after checking that no peer is named as both,
   * that every named peer shared keys with this client, and that enough survived.
   */
  public UnmaskShares unmask(UnmaskRequest request) {
    expect(Stage.MASKED, "unmask");
    Set<Integer> survivors = new HashSet<>();
    for (int j : request.survivors()) {
      if (!held.containsKey(j) || !survivors.add(j)) {
        throw new ProtocolException("unmask names survivor " + j + ", which did not share keys with client "
            + setup.index() + " or is listed twice");
      }
    }
    Set<Integer> dropped = new HashSet<>();
    for (int j : request.dropped()) {
      if (survivors.contains(j)) {
        throw new ProtocolException("unmask names client " + j + " as both survivor and dropped; revealing both "
            + "of its shares would expose its input");
      }
      if (j == setup.index() || !held.containsKey(j) || !dropped.add(j)) {
        throw new ProtocolException("unmask names dropped client " + j + ", which did not share keys with client "
            + setup.index() + " or is listed twice");
      }
    }
    if (survivors.size() < setup.shareThreshold()) {
      throw new ProtocolException("only " + survivors.size() + " of client " + setup.index()
          + "'s share holders survived; at least " + setup.shareThreshold() + " must, or the sum would reveal too little");
    }
    Map<Integer, ShareValue> selfShares = new HashMap<>();
    for (int j : survivors) {
      PairwiseKeys.ShareMessage m = held.get(j);
      selfShares.put(j, new ShareValue(m.point(), m.selfMaskShare()));
    }
    Map<Integer, ShareValue> keyShares = new HashMap<>();
    for (int j : dropped) {
      PairwiseKeys.ShareMessage m = held.get(j);
      keyShares.put(j, new ShareValue(m.point(), m.keyShare()));
    }
    stage = Stage.DONE;
    held.clear();
    return new UnmaskShares(selfShares, keyShares);
  }

  /** The share holders of this client's secrets: its neighbours and itself, sorted. */
  private int[] members() {
    return CommunicationGraph.holders(setup.neighbours(), setup.index());
  }

  private void expect(Stage expected, String what) {
    if (stage != expected) {
      throw new ProtocolException("client " + setup.index() + " got a " + what + " message in stage " + stage
          + "; it expects one in stage " + expected);
    }
  }
}
