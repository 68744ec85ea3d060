package io.websockex.adapter.ratelimit;

import java.time.Duration;

import io.websockex.adapter.InvalidConfigException;

/**
 * Rate-limit settings of a client: a token bucket of {@code capacity} tokens, refilled by
 * {@code refillRate} tokens every {@code refillInterval}; each outgoing message costs
 * tokens by {@code cost}; at most {@code maxQueue} sends wait for tokens.
 * <p>
 * A spent token comes back one window after it was spent, the window being
 * {@code refillInterval * capacity / refillRate}: no such window ever holds more than
 * {@code capacity} tokens, so with the defaults ({@code refillRate = capacity}) the
 * server never sees more than {@code capacity} credits in any {@code refillInterval}, and
 * the long-run rate is {@code refillRate} per {@code refillInterval}. Leave some margin
 * below the server's own limit for network jitter.
 *
 * <pre>{@code
 * // Deribit's default for non-matching engine requests: 20 credits per second, burst 50
 * RateLimit.of(50).withRefill(20, Duration.ofSeconds(1)).withCost(CostFunctions.deribit());
 * }</pre>
 *
 * @param capacity the bucket size (burst)
 * @param refillRate tokens added per {@code refillInterval}
 * @param refillInterval the refill period
 * @param cost the cost function
 * @param maxQueue how many sends may wait for tokens
 */
public record RateLimit(int capacity, int refillRate, Duration refillInterval, CostFunction cost, int maxQueue) {

	/** Default {@code rate-limit.refill-interval}. */
	public static final Duration DEFAULT_REFILL_INTERVAL = Duration.ofSeconds(1);

	/** Default {@code rate-limit.max-queue}. */
	public static final int DEFAULT_MAX_QUEUE = 100;

	/**
	 * Validate the settings; each error names its {@code rate-limit.*} property.
	 * @param capacity the bucket size
	 * @param refillRate tokens per interval
	 * @param refillInterval the interval
	 * @param cost the cost function
	 * @param maxQueue the queue bound
	 */
	public RateLimit {
		if (capacity < 1) {
			throw new InvalidConfigException("rate-limit.capacity", "must be at least 1, was " + capacity);
		}
		if (refillRate < 1) {
			throw new InvalidConfigException("rate-limit.refill-rate", "must be at least 1, was " + refillRate);
		}
		if (refillInterval == null || refillInterval.isNegative() || refillInterval.isZero()) {
			throw new InvalidConfigException("rate-limit.refill-interval",
					"must be a positive duration, was " + refillInterval);
		}
		if (cost == null) {
			throw new InvalidConfigException("rate-limit.cost", "must be one of simple, deribit, binance");
		}
		if (maxQueue < 0) {
			throw new InvalidConfigException("rate-limit.max-queue", "must be 0 or more, was " + maxQueue);
		}
	}

	/**
	 * A bucket of {@code capacity} tokens refilled to full every second, one token per
	 * message, 100 sends queued at most.
	 * @param capacity the bucket size and refill rate
	 * @return the settings
	 */
	public static RateLimit of(int capacity) {
		return new RateLimit(capacity, capacity, DEFAULT_REFILL_INTERVAL, CostFunctions.simple(), DEFAULT_MAX_QUEUE);
	}

	/**
	 * A copy with another refill.
	 * @param refillRate tokens added per interval
	 * @param refillInterval the interval
	 * @return the settings
	 */
	public RateLimit withRefill(int refillRate, Duration refillInterval) {
		return new RateLimit(this.capacity, refillRate, refillInterval, this.cost, this.maxQueue);
	}

	/**
	 * A copy with another cost function.
	 * @param cost the cost function
	 * @return the settings
	 */
	public RateLimit withCost(CostFunction cost) {
		return new RateLimit(this.capacity, this.refillRate, this.refillInterval, cost, this.maxQueue);
	}

	/**
	 * A copy with another queue bound.
	 * @param maxQueue how many sends may wait for tokens
	 * @return the settings
	 */
	public RateLimit withMaxQueue(int maxQueue) {
		return new RateLimit(this.capacity, this.refillRate, this.refillInterval, this.cost, maxQueue);
	}

}
