package io.websockex.adapter.internal.ratelimit;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

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
 * Tokens can be {@linkplain #tryHold(int) held} rather than taken: their window starts
 * only when they are {@linkplain #settle(Spend) settled}, when the frame they pay for has
 * been written. A frame that waited in the outbound buffer then counts from when it left,
 * not from when it got its tokens, so a backlog flushed at once cannot squeeze two
 * windows' frames into one.
 * <p>
 * Taken spends closer together than 1/1024 of the window are kept as one entry that comes
 * back with the latest of them: memory stays bounded whatever the capacity, at the price
 * of tokens returning at most that much late (never early). Tokens come back in the order
 * they were spent, so a held spend not yet settled keeps later ones out too (never early,
 * again).
 */
final class TokenBucket {

	private static final int RESOLUTION = 1024;

	/** The return time of a held spend, before it is settled. */
	private static final long PENDING = Long.MIN_VALUE;

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
	 * Hold tokens if the bucket holds enough; they stay out until settled and then for
	 * one window.
	 * @param cost tokens to hold, 0 or more
	 * @return the spend to {@link #settle(Spend)}, or {@code null} when too few tokens
	 * are there
	 */
	@Nullable Spend tryHold(int cost) {
		long now = this.clock.getAsLong();
		returnDue(now);
		if (this.capacity - this.outstanding < cost) {
			return null;
		}
		Spend spend = new Spend(now, PENDING, cost);
		if (cost > 0) {
			this.out.addLast(spend);
			this.outstanding += cost;
		}
		return spend;
	}

	/**
	 * Start the window of held tokens now. Settling twice, or settling a taken spend,
	 * does nothing.
	 * @param spend a spend from {@link #tryHold(int)}
	 */
	void settle(Spend spend) {
		if (spend.pending) {
			spend.pending = false;
			spend.returnAt = this.clock.getAsLong() + this.windowNanos;
		}
	}

	/**
	 * How long until the bucket holds {@code cost} tokens, if nothing else is taken.
	 * @param cost tokens wanted, at most the capacity
	 * @return nanoseconds, 0 when they are there now, -1 when it depends on a held spend
	 * not settled yet
	 */
	long nanosUntil(int cost) {
		if (cost > this.capacity) {
			throw new IllegalArgumentException("cost " + cost + " exceeds capacity " + this.capacity);
		}
		long now = this.clock.getAsLong();
		returnDue(now);
		long missing = cost - (this.capacity - this.outstanding);
		long latest = now;
		for (Spend spend : this.out) {
			if (missing <= 0) {
				break;
			}
			if (spend.pending) {
				return -1;
			}
			// In order: an entry comes back no earlier than those before it.
			latest = (spend.returnAt - latest > 0) ? spend.returnAt : latest;
			missing -= spend.amount;
		}
		return latest - now;
	}

	private void spend(long now, int cost) {
		Spend last = this.out.peekLast();
		if (last != null && !last.pending && now - last.firstSpentAt <= this.coalesceNanos) {
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
		while ((first = this.out.peekFirst()) != null && !first.pending && now - first.returnAt >= 0) {
			this.out.pollFirst();
			this.outstanding -= first.amount;
		}
	}

	/** Tokens spent together, back in the bucket at {@code returnAt} once not pending. */
	static final class Spend {

		/** A spend of nothing, settled: what a plain take hands out. */
		static final Spend NONE = new Spend(0, 0, 0);

		final long firstSpentAt;

		long returnAt;

		long amount;

		boolean pending;

		Spend(long firstSpentAt, long returnAt, long amount) {
			this.firstSpentAt = firstSpentAt;
			this.returnAt = returnAt;
			this.amount = amount;
			this.pending = returnAt == PENDING && amount > 0;
		}

	}

}
