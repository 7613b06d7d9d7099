package org.openitb.therapy;

import java.util.OptionalLong;

/** Delivery stopped on purpose, since {@code sinceNanos} (monotonic), open or until {@code untilNanos}. */
public record Suspension(long sinceNanos, OptionalLong untilNanos) {
}
