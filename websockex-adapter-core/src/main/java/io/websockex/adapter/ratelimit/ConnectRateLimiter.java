package io.websockex.adapter.ratelimit;

import java.time.Duration;

import io.websockex.adapter.internal.ratelimit.PacedConnectRateLimiter;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A limit on connection attempts shared by many clients, so that clients that lose their
 * server together do not all reconnect in the same second (the burst that gets an IP
 * banned). At most {@code attempts} attempts start in any window of {@code interval}; the
 * others wait in a first-in, first-out queue of at most {@code maxQueue} clients. Give
 * the same limiter to every client's {@link io.websockex.adapter.Config}:
 *
 * <pre>{@code
 * ConnectRateLimiter connectRate = ConnectRateLimiter.of(50, Duration.ofSeconds(1));
 * Config config = Config.builder("wss://stream.example.com/ws").connectRate(connectRate).build();
 * }</pre>
 *
 * With the Spring Boot starter, {@code websockex.connect-rate.attempts} makes one limiter
 * for every client.
 */
public interface ConnectRateLimiter {

	/**
	 * The default bound of the queue of clients waiting to attempt.
	 */
	int DEFAULT_MAX_QUEUE = 100_000;

	/**
	 * A limiter of {@code attempts} per {@code interval}, with the default queue bound.
	 * @param attempts attempts that may start in any window of {@code interval}
	 * @param interval the window
	 * @return the limiter
	 * @throws IllegalArgumentException if a value is not positive
	 */
	static ConnectRateLimiter of(int attempts, Duration interval) {
		return of(attempts, interval, DEFAULT_MAX_QUEUE);
	}

	/**
	 * A limiter of {@code attempts} per {@code interval}.
	 * @param attempts attempts that may start in any window of {@code interval}
	 * @param interval the window
	 * @param maxQueue clients that may wait for their turn; beyond it an attempt fails at
	 * once (and the client backs off as after any failed attempt)
	 * @return the limiter
	 * @throws IllegalArgumentException if a value is not positive
	 */
	static ConnectRateLimiter of(int attempts, Duration interval, int maxQueue) {
		return new PacedConnectRateLimiter(attempts, interval, maxQueue, Schedulers.parallel());
	}

	/**
	 * Wait for the turn of one connection attempt. Cancelling the returned {@link Mono}
	 * leaves the queue. Called on the client's state-transition thread, which may be a
	 * Netty event loop: an implementation returns at once and waits in the {@link Mono},
	 * never in the call (a limit kept in a remote store is asked from the Mono, on a
	 * thread made for blocking if its client blocks).
	 * @param client the name of the client that wants to attempt (for the error message)
	 * @return a {@link Mono} that completes when the attempt may start, or fails with a
	 * {@link io.websockex.adapter.RateLimitExceededException} when the queue is full
	 */
	Mono<Void> permit(String client);

	/**
	 * The attempts allowed per interval.
	 * @return the count
	 */
	int attempts();

	/**
	 * The window.
	 * @return the interval
	 */
	Duration interval();

	/**
	 * Clients waiting for their turn now.
	 * @return the count
	 */
	int queued();

	/**
	 * Attempts allowed so far.
	 * @return the count
	 */
	long granted();

	/**
	 * Attempts refused so far because the queue was full.
	 * @return the count
	 */
	long rejected();

}
