package io.websockex.adapter.internal.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with a cap and symmetric jitter:
 * {@code min(retryDelay * 2^attempt, maxBackoff) * (1 ± jitter)}.
 */
final class BackoffPolicy {

	private final long initialNanos;

	private final long maxNanos;

	private final double jitter;

	private final DoubleSupplier random;

	/**
	 * Create a policy.
	 * @param initial the delay of attempt 0
	 * @param max the cap
	 * @param jitter the ± fraction, 0 to 1
	 * @param random uniform numbers in [0, 1)
	 */
	BackoffPolicy(Duration initial, Duration max, double jitter, DoubleSupplier random) {
		this.initialNanos = initial.toNanos();
		this.maxNanos = max.toNanos();
		this.jitter = jitter;
		this.random = random;
	}

	/**
	 * The delay before the given attempt.
	 * @param attempt 0 for the first retry after a success or a loss
	 * @return the delay, never negative
	 */
	Duration delay(int attempt) {
		long base = this.maxNanos;
		if (attempt < 62) {
			long scaled = this.initialNanos << attempt;
			// A shift that overflows (or wraps) means the cap was long passed.
			if (scaled > 0 && (scaled >> attempt) == this.initialNanos) {
				base = Math.min(scaled, this.maxNanos);
			}
		}
		double factor = 1 + this.jitter * (2 * this.random.getAsDouble() - 1);
		return Duration.ofNanos(Math.max(0, (long) (base * factor)));
	}

}
