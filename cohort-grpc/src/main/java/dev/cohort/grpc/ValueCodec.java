package dev.cohort.grpc;

/** Writes and reads one value of a fixed static type. */
interface ValueCodec {
  void write(WireWriter w, Object value, String where);

  Object read(WireReader r, String where);
}
