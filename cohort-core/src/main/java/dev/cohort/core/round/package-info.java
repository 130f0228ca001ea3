/**
 * The seam between the round loop and the way a round's updates are collected: {@link
 * dev.cohort.core.round.FitProtocol}. The server's direct protocol and secure aggregation both
 * implement it, over the same {@link dev.cohort.core.transport.Transport}.
 */
package dev.cohort.core.round;
