package io.websockex.adapter.test.internal;

/**
 * Deribit's credit-based rate limit for one connection: a pool of credits that refills at
 * a steady rate up to its maximum; each request costs credits, and a request that finds
 * too few is refused. Synchronized: requests of one connection arrive on its event loop,
 * but a test may share a pool between connections.
 */
final class CreditPool {

	private final long max;

	private final long refillPerSecond;

	private double credits;

	private long lastNanos;

	CreditPool(long max, long refillPerSecond) {
		this.max = max;
		this.refillPerSecond = refillPerSecond;
		this.credits = max;
		this.lastNanos = System.nanoTime();
	}

	/**
	 * @param cost the request's cost
	 * @return whether the credits sufficed (and were taken)
	 */
	synchronized boolean take(long cost) {
		long now = System.nanoTime();
		this.credits = Math.min(this.max, this.credits + (now - this.lastNanos) * this.refillPerSecond / 1e9);
		this.lastNanos = now;
		if (this.credits < cost) {
			return false;
		}
		this.credits -= cost;
		return true;
	}

}
