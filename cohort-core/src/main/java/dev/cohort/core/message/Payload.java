package dev.cohort.core.message;

/**
 * The content of a {@link Message}. Federation stages define their own payload records (fit,
 * evaluate, and the stages of multi-round protocols such as secure aggregation); a transport
 * that crosses process boundaries needs a codec for every payload type it carries.
 */
public interface Payload {}
