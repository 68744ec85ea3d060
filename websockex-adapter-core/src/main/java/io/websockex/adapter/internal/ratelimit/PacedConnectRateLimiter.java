package io.websockex.adapter.internal.ratelimit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

import io.websockex.adapter.RateLimitExceededException;
import io.websockex.adapter.internal.SerialExecutor;
import io.websockex.adapter.ratelimit.ConnectRateLimiter;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;

/**
 * A {@link ConnectRateLimiter} that paces grants, one slot every
 * {@code ceil(interval / attempts)}, so a storm reaches the server as a steady stream
 * rather than bursts that the server (and the clients' own event loops) would take as one
 * spike each. Slots are kept on a schedule: a timer that fires late (a busy machine)
 * grants the slots it missed, up to a tenth of the interval's worth, so the rate holds
 * under load. The hard bound is separate and exact: the times of the last
 * {@code attempts} grants are kept, and no grant is made while they all lie within the
 * last {@code interval}, so no window of that length ever holds more (a token bucket
 * would allow twice as many across a refill). Its state is owned by one
 * {@link SerialExecutor}; the clock is the injected scheduler's, so tests run it in
 * virtual time. Internal to websockex.
 */
public final class PacedConnectRateLimiter implements ConnectRateLimiter {

	private final int attempts;

	private final Duration interval;

	private final long intervalNanos;

	private final long spacingNanos;

	private final long maxLagNanos;

	private final int maxQueue;

	private final Scheduler timer;

	private final SerialExecutor serial = new SerialExecutor("websockex connect-rate limiter");

	// Owned by the serial executor: the next slot of the pace, and the times of the last
	// `attempts` grants, the oldest at `oldest` once the ring is full.
	private long nextSlot;

	private final long[] grants;

	private int oldest;

	private int filled;

	private final ArrayDeque<Waiter> queue = new ArrayDeque<>();

	private @Nullable Disposable drainTimer;

	// Written by the serial executor, read by anyone.
	private volatile int queuedCount;

	private volatile long grantedCount;

	private volatile long rejectedCount;

	/**
	 * Create a limiter.
	 * @param attempts attempts per window
	 * @param interval the window
	 * @param maxQueue waiting clients allowed
	 * @param timer clock and timer
	 */
	public PacedConnectRateLimiter(int attempts, Duration interval, int maxQueue, Scheduler timer) {
		if (attempts < 1) {
			throw new IllegalArgumentException("connect-rate attempts must be at least 1, was " + attempts);
		}
		if (interval.isNegative() || interval.isZero()) {
			throw new IllegalArgumentException("connect-rate interval must be a positive duration, was " + interval);
		}
		if (maxQueue < 0) {
			throw new IllegalArgumentException("connect-rate max-queue must be 0 or more, was " + maxQueue);
		}
		this.attempts = attempts;
		this.interval = interval;
		// Rounded up, so that attempts x spacing is never shorter than the interval.
		this.intervalNanos = interval.toNanos();
		this.spacingNanos = (this.intervalNanos + attempts - 1) / attempts;
		this.maxLagNanos = Math.max(this.spacingNanos, this.intervalNanos / 10);
		this.grants = new long[attempts];
		this.maxQueue = maxQueue;
		this.timer = timer;
	}

	@Override
	public Mono<Void> permit(String client) {
		return Mono.create((sink) -> {
			Waiter waiter = new Waiter(client, sink);
			sink.onCancel(() -> this.serial.execute(() -> leave(waiter)));
			this.serial.execute(() -> arrive(waiter));
		});
	}

	private void arrive(Waiter waiter) {
		if (waiter.cancelled) {
			return;
		}
		long now = now();
		if (this.queue.isEmpty() && allowed(now)) {
			grant(waiter, now);
			return;
		}
		if (this.queue.size() >= this.maxQueue) {
			this.rejectedCount++;
			waiter.sink
				.error(new ConnectRateExceededException(waiter.client, this.maxQueue, this.attempts, this.interval));
			return;
		}
		this.queue.add(waiter);
		this.queuedCount = this.queue.size();
		scheduleDrain(now);
	}

	private void leave(Waiter waiter) {
		waiter.cancelled = true;
		if (this.queue.remove(waiter)) {
			this.queuedCount = this.queue.size();
		}
	}

	private void drain() {
		this.drainTimer = null;
		long now = now();
		while (!this.queue.isEmpty() && allowed(now)) {
			Waiter waiter = this.queue.poll();
			grant(waiter, now);
		}
		this.queuedCount = this.queue.size();
		if (!this.queue.isEmpty()) {
			scheduleDrain(now);
		}
	}

	private void scheduleDrain(long now) {
		if (this.drainTimer != null) {
			return;
		}
		long wait = Math.max(0, nextAllowedAt() - now);
		this.drainTimer = this.timer.schedule(() -> this.serial.execute(this::drain), wait, TimeUnit.NANOSECONDS);
	}

	private boolean allowed(long now) {
		return now >= nextAllowedAt();
	}

	private long nextAllowedAt() {
		long windowFreeAt = (this.filled < this.attempts) ? Long.MIN_VALUE
				: this.grants[this.oldest] + this.intervalNanos;
		return Math.max(this.nextSlot, windowFreeAt);
	}

	private void grant(Waiter waiter, long now) {
		// On schedule, but never further behind now than maxLag: an idle limiter does
		// not save up a burst.
		this.nextSlot = Math.max(this.nextSlot, now - this.maxLagNanos) + this.spacingNanos;
		this.grants[this.oldest] = now;
		this.oldest = (this.oldest + 1) % this.attempts;
		if (this.filled < this.attempts) {
			this.filled++;
		}
		this.grantedCount++;
		waiter.sink.success();
	}

	private long now() {
		return this.timer.now(TimeUnit.NANOSECONDS);
	}

	@Override
	public int attempts() {
		return this.attempts;
	}

	@Override
	public Duration interval() {
		return this.interval;
	}

	@Override
	public int queued() {
		return this.queuedCount;
	}

	@Override
	public long granted() {
		return this.grantedCount;
	}

	@Override
	public long rejected() {
		return this.rejectedCount;
	}

	@Override
	public String toString() {
		return "ConnectRateLimiter[" + this.attempts + " per " + this.interval + ", max-queue " + this.maxQueue + "]";
	}

	private static final class Waiter {

		final String client;

		final MonoSink<Void> sink;

		// Owned by the serial executor.
		boolean cancelled;

		Waiter(String client, MonoSink<Void> sink) {
			this.client = client;
			this.sink = sink;
		}

	}

	/**
	 * The queue of clients waiting to attempt was full.
	 */
	static final class ConnectRateExceededException extends RateLimitExceededException {

		ConnectRateExceededException(String client, int maxQueue, int attempts, Duration interval) {
			super("websockex client '" + client + "': the shared connect-rate limit (" + attempts + " attempts per "
					+ interval + ") already has " + maxQueue
					+ " clients waiting to connect; this attempt backs off and retries. Raise "
					+ "websockex.connect-rate.max-queue, or websockex.connect-rate.attempts if the server allows it");
		}

	}

}
