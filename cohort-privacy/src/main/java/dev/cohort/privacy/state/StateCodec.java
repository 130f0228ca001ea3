package dev.cohort.privacy.state;

import dev.cohort.core.aggregate.AggregationState;
import dev.cohort.core.strategy.RoundGate;
import dev.cohort.privacy.accounting.Conversion;
import dev.cohort.privacy.accounting.PoissonSampledGaussian;
import dev.cohort.privacy.accounting.PrivacyAccountant;
import dev.cohort.privacy.accounting.PrivacyEvent;
import dev.cohort.privacy.accounting.RenyiOrders;
import dev.cohort.privacy.aggregate.DpMeanFactory;
import dev.cohort.privacy.budget.PrivacyBudgetGate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The bytes a run checkpoints for the states it carries between rounds: every {@link
 * AggregationState} ({@link AggregationState.None}, {@link DpMeanFactory.ClipState}) and every
 * {@link RoundGate.State} ({@link RoundGate.State.None}, {@link PrivacyBudgetGate.State} with its
 * accountants' histories). It lives in this module because it is the lowest one that sees every
 * implementation; a new state type must be added here, and encoding an unknown one fails loudly.
 *
 * <p>Format, big-endian: a 4-byte magic ({@code CSTA} for aggregation states, {@code CSTG} for gate
 * states), a version byte (1), a kind byte, then the kind's fields; nothing may follow. A gate state
 * of kind 1 is a group count, then per accountant its conversion label (modified UTF-8), its Rényi
 * orders (count, doubles) and its events (count, then per event a kind byte 1 and the
 * Poisson-sampled Gaussian's noise multiplier, sampling rate and steps). Decoding rebuilds an
 * accountant equal to the encoded one ({@link PrivacyAccountant#restore}).
 *
 * <p>Decoding checks everything and throws {@link IllegalArgumentException} naming what is wrong
 * (wrong magic, unknown version or kind, truncation, trailing bytes, invalid values). Stateless
 * and thread-safe.
 */
public final class StateCodec {
  /** The format version this class writes and reads. */
  public static final int VERSION = 1;

  private static final byte[] AGGREGATION_MAGIC = "CSTA".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] GATE_MAGIC = "CSTG".getBytes(StandardCharsets.US_ASCII);
  private static final int NONE = 0;
  private static final int CLIP = 1;
  private static final int BUDGET = 1;
  private static final int POISSON_SAMPLED_GAUSSIAN = 1;
  private static final int MAX_COUNT = 1 << 20;

  private StateCodec() {}

  /* --- aggregation states --- */

  /**
   * The bytes of {@code state}.
   *
   * @throws IllegalArgumentException if this codec does not know the state's type
   */
  public static byte[] encode(AggregationState state) {
    Objects.requireNonNull(state, "state");
    return write(AGGREGATION_MAGIC, out -> {
      switch (state) {
        case AggregationState.None n -> out.writeByte(NONE);
        case DpMeanFactory.ClipState c -> {
          out.writeByte(CLIP);
          out.writeDouble(c.norm());
        }
        default -> throw new IllegalArgumentException("no codec for aggregation state " + state.getClass().getName()
            + "; add it to " + StateCodec.class.getName());
      }
    });
  }

  /** The aggregation state {@link #encode(AggregationState)} wrote as {@code bytes}. */
  public static AggregationState decodeAggregation(byte[] bytes) {
    return read("aggregation state", AGGREGATION_MAGIC, bytes, (in, what) -> {
      int kind = in.readUnsignedByte();
      return switch (kind) {
        case NONE -> AggregationState.NONE;
        case CLIP -> {
          double norm = in.readDouble();
          if (!(norm > 0) || Double.isInfinite(norm)) {
            throw new IllegalArgumentException(what + ": clipping norm must be finite and > 0 but was " + norm);
          }
          yield new DpMeanFactory.ClipState(norm);
        }
        default -> throw new IllegalArgumentException(what + ": unknown kind " + kind + " (this build reads 0 and 1)");
      };
    });
  }

  /* --- gate states --- */

  /**
   * The bytes of {@code state}.
   *
   * @throws IllegalArgumentException if this codec does not know the state's type
   */
  public static byte[] encode(RoundGate.State state) {
    Objects.requireNonNull(state, "state");
    return write(GATE_MAGIC, out -> {
      switch (state) {
        case RoundGate.State.None n -> out.writeByte(NONE);
        case PrivacyBudgetGate.State s -> {
          out.writeByte(BUDGET);
          out.writeInt(s.accountants().size());
          for (PrivacyAccountant a : s.accountants()) {
            out.writeUTF(a.conversion().label());
            double[] orders = a.orders().toArray();
            out.writeInt(orders.length);
            for (double o : orders) {
              out.writeDouble(o);
            }
            out.writeInt(a.events().size());
            for (PrivacyEvent e : a.events()) {
              switch (e) {
                case PoissonSampledGaussian g -> {
                  out.writeByte(POISSON_SAMPLED_GAUSSIAN);
                  out.writeDouble(g.noiseMultiplier());
                  out.writeDouble(g.samplingRate());
                  out.writeLong(g.steps());
                }
              }
            }
          }
        }
        default -> throw new IllegalArgumentException("no codec for gate state " + state.getClass().getName()
            + "; add it to " + StateCodec.class.getName());
      }
    });
  }

  /** The gate state {@link #encode(RoundGate.State)} wrote as {@code bytes}. */
  public static RoundGate.State decodeGate(byte[] bytes) {
    return read("gate state", GATE_MAGIC, bytes, (in, what) -> {
      int kind = in.readUnsignedByte();
      return switch (kind) {
        case NONE -> RoundGate.State.NONE;
        case BUDGET -> {
          int groups = count(in, what, "accountants");
          List<PrivacyAccountant> accountants = new ArrayList<>(groups);
          for (int i = 0; i < groups; i++) {
            String where = what + ", accountant " + (i + 1);
            Conversion conversion;
            String label = in.readUTF();
            try {
              conversion = Conversion.parse(label);
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException(where + ": unknown conversion \"" + label + "\"", e);
            }
            double[] orders = new double[count(in, where, "orders")];
            for (int k = 0; k < orders.length; k++) {
              orders[k] = in.readDouble();
            }
            int n = count(in, where, "events");
            List<PrivacyEvent> events = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
              int eventKind = in.readUnsignedByte();
              if (eventKind != POISSON_SAMPLED_GAUSSIAN) {
                throw new IllegalArgumentException(where + ": unknown event kind " + eventKind + " (this build reads 1)");
              }
              double z = in.readDouble();
              double q = in.readDouble();
              long steps = in.readLong();
              try {
                events.add(new PoissonSampledGaussian(z, q, steps));
              } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ", event " + (k + 1) + ": " + e.getMessage(), e);
              }
            }
            try {
              accountants.add(PrivacyAccountant.restore(events, RenyiOrders.of(orders), conversion));
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
          }
          yield new PrivacyBudgetGate.State(accountants);
        }
        default -> throw new IllegalArgumentException(what + ": unknown kind " + kind + " (this build reads 0 and 1)");
      };
    });
  }

  /* --- framing --- */

  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  private interface Parser<T> {
    T read(DataInputStream in, String what) throws IOException;
  }

  private static byte[] write(byte[] magic, Body body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(magic);
      out.writeByte(VERSION);
      body.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not thrown by an in-memory stream
    }
    return bytes.toByteArray();
  }

  private static <T> T read(String what, byte[] magic, byte[] bytes, Parser<T> parser) {
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length < magic.length + 1) {
      throw new IllegalArgumentException(what + ": " + bytes.length + " bytes, too short for a header of "
          + (magic.length + 1) + " bytes");
    }
    for (int i = 0; i < magic.length; i++) {
      if (bytes[i] != magic[i]) {
        throw new IllegalArgumentException(what + ": bytes do not start with \""
            + new String(magic, StandardCharsets.US_ASCII) + "\" (not a " + what + ", or corrupt)");
      }
    }
    int version = bytes[magic.length] & 0xff;
    if (version != VERSION) {
      throw new IllegalArgumentException(what + ": format version " + version + " is unknown (this build reads "
          + VERSION + ")");
    }
    ByteArrayInputStream stream = new ByteArrayInputStream(bytes, magic.length + 1, bytes.length - magic.length - 1);
    try (DataInputStream in = new DataInputStream(stream)) {
      T value = parser.read(in, what);
      if (stream.available() > 0) {
        throw new IllegalArgumentException(what + ": " + stream.available() + " unexpected bytes after the end");
      }
      return value;
    } catch (EOFException e) {
      throw new IllegalArgumentException(what + ": truncated (" + bytes.length + " bytes)", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(what + ": unreadable: " + e.getMessage(), e);
    }
  }

  private static int count(DataInputStream in, String where, String of) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_COUNT) {
      throw new IllegalArgumentException(where + ": " + n + " " + of + " is not a valid count");
    }
    return n;
  }
}
