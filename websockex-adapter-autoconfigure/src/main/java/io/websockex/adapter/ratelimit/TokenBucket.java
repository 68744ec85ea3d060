package io.websockex.adapter.ratelimit;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * A token bucket of {@code capacity} tokens refilled at {@code refillRate} tokens per
 * {@code refillInterval}, on a monotonic nanosecond clock. Not thread-safe: one owner
 * (the {@link RateLimiter}'s drain loop) uses it.
 * <p>
 * Refill is <em>rolling</em>: a spent token comes back exactly one window after it was
 * spent, where the window is {@code refillInterval * capacity / refillRate} (one
 * {@code refillInterval} when the rate equals the capacity, the default). So no window of
 * that length ever holds more than {@code capacity} spent tokens, and the long-run rate
 * is {@code refillRate} per {@code refillInterval}. A bucket that refills continuously
 * would let a full burst and then a full refill through within one interval, twice the
 * limit, which servers that count per window (Binance's weights) punish; a bucket that
 * conforms to this one also conforms to the continuous bucket of the same settings
 * (Deribit's credits), so the rolling form is safe for both.
 * <p>
 * Spends closer together than 1/1024 of the window are kept as one entry that comes back
 * with the latest of them: memory stays bounded whatever the capacity, at the price of
 * tokens returning at most that much late (never early).
 */
final class TokenBucket {

	private static final int RESOLUTION = 1024;

	private final int capacity;

	private final long windowNanos;

	private final long coalesceNanos;

	private final LongSupplier clock;

	/** Spent tokens not yet back, oldest first. */
	private final ArrayDeque<Spend> out = new ArrayDeque<>();

	private long outstanding;

	/**
	 * Create a full bucket.
	 * @param capacity the bucket size, at least 1
	 * @param refillRate tokens per interval, at least 1
	 * @param refillInterval the interval, positive
	 * @param clock monotonic nanoseconds, such as {@code System::nanoTime}
	 */
	TokenBucket(int capacity, int refillRate, Duration refillInterval, LongSupplier clock) {
		if (capacity < 1 || refillRate < 1 || refillInterval.isNegative() || refillInterval.isZero()) {
			throw new IllegalArgumentException(
					"capacity and refillRate must be at least 1 and refillInterval positive");
		}
		this.capacity = capacity;
		this.windowNanos = windowNanos(capacity, refillRate, refillInterval);
		this.coalesceNanos = this.windowNanos / RESOLUTION;
		this.clock = clock;
	}

	/** Rounded up: a token that came back a nanosecond early would break the window. */
	private static long windowNanos(int capacity, int refillRate, Duration refillInterval) {
		BigInteger[] quotient = BigInteger.valueOf(refillInterval.getSeconds())
			.multiply(BigInteger.valueOf(1_000_000_000L))
			.add(BigInteger.valueOf(refillInterval.getNano()))
			.multiply(BigInteger.valueOf(capacity))
			.divideAndRemainder(BigInteger.valueOf(refillRate));
		BigInteger window = quotient[0].add(quotient[1].signum() > 0 ? BigInteger.ONE : BigInteger.ZERO);
		return window.min(BigInteger.valueOf(Long.MAX_VALUE / 4)).longValueExact();
	}

	int capacity() {
		return this.capacity;
	}

	/**
	 * How long a spent token stays out of the bucket.
	 * @return the window in nanoseconds
	 */
	long windowNanos() {
		return this.windowNanos;
	}

	/**
	 * Tokens in the bucket now.
	 * @return the tokens
	 */
	long available() {
		returnDue(this.clock.getAsLong());
		return this.capacity - this.outstanding;
	}

	/**
	 * Take tokens if the bucket holds enough.
	 * @param cost tokens to take, 0 or more
	 * @return whether they were taken
	 */
	boolean tryTake(int cost) {
		long now = this.clock.getAsLong();
		returnDue(now);
		if (this.capacity - this.outstanding < cost) {
			return false;
		}
		if (cost > 0) {
			spend(now, cost);
		}
		return true;
	}

	/**
	 * How long until the bucket holds {@code cost} tokens, if nothing else is taken.
	 * @param cost tokens wanted, at most the capacity
	 * @return nanoseconds, 0 when they are there now
	 */
	long nanosUntil(int cost) {
		if (cost > this.capacity) {
			throw new IllegalArgumentException("cost " + cost + " exceeds capacity " + this.capacity);
		}
		long now = this.clock.getAsLong();
		returnDue(now);
		long missing = cost - (this.capacity - this.outstanding);
		for (Spend spend : this.out) {
			if (missing <= 0) {
				break;
			}
			missing -= spend.amount;
			if (missing <= 0) {
				return spend.returnAt - now;
			}
		}
		return 0;
	}

	private void spend(long now, int cost) {
		Spend last = this.out.peekLast();
		if (last != null && now - last.firstSpentAt <= this.coalesceNanos) {
			last.amount += cost;
			last.returnAt = now + this.windowNanos;
		}
		else {
			this.out.addLast(new Spend(now, now + this.windowNanos, cost));
		}
		this.outstanding += cost;
	}

	private void returnDue(long now) {
		Spend first;
		// Subtraction, not comparison: nanoTime may wrap.
		while ((first = this.out.peekFirst()) != null && now - first.returnAt >= 0) {
			this.out.pollFirst();
			this.outstanding -= first.amount;
		}
	}

	/** Tokens spent together, back in the bucket at {@code returnAt}. */
	private static final class Spend {

		final long firstSpentAt;

		long returnAt;

		long amount;

		Spend(long firstSpentAt, long returnAt, long amount) {
			this.firstSpentAt = firstSpentAt;
			this.returnAt = returnAt;
			this.amount = amount;
		}

	}

}
