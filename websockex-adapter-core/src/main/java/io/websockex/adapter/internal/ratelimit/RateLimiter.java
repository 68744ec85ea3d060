package io.websockex.adapter.internal.ratelimit;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.websockex.adapter.RateLimitExceededException;
import io.websockex.adapter.internal.SerialExecutor;
import io.websockex.adapter.ratelimit.RateLimit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The rate limiter of one client: a {@link TokenBucket} and a FIFO queue of sends waiting
 * for tokens. Internal to websockex.
 * <p>
 * Every change of the bucket and the queue happens in one drain loop (a
 * {@link SerialExecutor} that serves the queue after each batch): a caller posts a
 * command and whichever thread finds the loop idle runs it, so there is one owner and no
 * lock, and nothing ever waits. A queue that cannot be served now schedules the next
 * drain on {@link Schedulers#parallel()} for the moment its head's tokens come back.
 * Strict FIFO: a costly send at the head is never overtaken by cheaper ones behind it.
 */
public final class RateLimiter {

	private static final Logger logger = LoggerFactory.getLogger(RateLimiter.class);

	private final String client;

	private final RateLimit settings;

	private final LongSupplier clock;

	private final Scheduler scheduler;

	private final SerialExecutor loop;

	// Owned by the drain loop.
	private final TokenBucket bucket;

	private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();

	private @Nullable Disposable timer;

	private long timerAt;

	// Published by the drain loop for readers on any thread.
	private volatile long tokens;

	private volatile int queued;

	private volatile long rejected;

	/**
	 * Create a limiter on the system's monotonic clock.
	 * @param client the client's name
	 * @param settings the settings
	 */
	public RateLimiter(String client, RateLimit settings) {
		this(client, settings, System::nanoTime, Schedulers.parallel());
	}

	/**
	 * Create a limiter on a given clock and scheduler (tests use virtual time).
	 * @param clock monotonic nanoseconds
	 * @param scheduler runs the delayed drains; its time must agree with the clock
	 */
	RateLimiter(String client, RateLimit settings, LongSupplier clock, Scheduler scheduler) {
		this.client = client;
		this.settings = settings;
		this.clock = clock;
		this.scheduler = scheduler;
		this.bucket = new TokenBucket(settings.capacity(), settings.refillRate(), settings.refillInterval(), clock);
		this.tokens = settings.capacity();
		this.loop = new SerialExecutor(client, "rate limiter", this::serve);
	}

	/**
	 * The settings.
	 * @return the settings
	 */
	public RateLimit settings() {
		return this.settings;
	}

	/**
	 * Take tokens, waiting in line if too few are available. Each subscription is one
	 * place in line; cancelling it leaves the line without taking tokens. The tokens'
	 * window starts now; prefer {@link #limit(int, Mono)} when the caller writes a frame
	 * next.
	 * @param cost tokens to take, 0 or more
	 * @return completes when the tokens are taken; fails at once with
	 * {@link RateLimitExceededException} when {@code max-queue} sends already wait or the
	 * cost exceeds the capacity
	 */
	Mono<Void> acquire(int cost) {
		return reserve(cost, false).then();
	}

	/**
	 * Wait in line for tokens, then write; the tokens' window starts when the write ends
	 * (written, failed or cancelled), so that a frame held up in the outbound buffer
	 * counts from when it left.
	 * @param cost tokens the frame costs, 0 or more
	 * @param write writes the frame; subscribed once the tokens are held
	 * @return completes when the frame is written; fails like {@link #acquire(int)} or
	 * with the write's error
	 */
	public Mono<Void> limit(int cost, Mono<Void> write) {
		return Mono.usingWhen(reserve(cost, true), (spend) -> write, this::settle, (spend, error) -> settle(spend),
				this::settle);
	}

	private Mono<Void> settle(TokenBucket.Spend spend) {
		return Mono.fromRunnable(() -> run(() -> this.bucket.settle(spend)));
	}

	private Mono<TokenBucket.Spend> reserve(int cost, boolean hold) {
		if (cost < 0) {
			return Mono.error(new IllegalArgumentException("websockex client '" + this.client
					+ "': the rate-limit.cost function returned " + cost + "; a cost must be 0 or more"));
		}
		if (cost > this.settings.capacity()) {
			return Mono
				.error(RateLimitExceededException.costAboveCapacity(this.client, cost, this.settings.capacity()));
		}
		return Mono.create((sink) -> {
			Waiter waiter = new Waiter(cost, hold, sink);
			sink.onCancel(() -> {
				waiter.cancelled = true;
				run(() -> {
					this.waiting.remove(waiter);
					// Served as the subscriber cancelled: nobody else will settle it.
					TokenBucket.Spend held = waiter.held;
					if (held != null) {
						this.bucket.settle(held);
					}
				});
			});
			run(() -> enqueue(waiter));
		});
	}

	/**
	 * Fail every queued send, for instance because the connection they were meant for is
	 * gone; they are never sent later.
	 * @param error the error for each
	 */
	public void failQueued(Supplier<Throwable> error) {
		run(() -> {
			Waiter waiter;
			while ((waiter = this.waiting.pollFirst()) != null) {
				if (!waiter.cancelled) {
					waiter.fail(error.get());
				}
			}
		});
	}

	/**
	 * Tokens available now.
	 * @return the tokens
	 */
	public long availableTokens() {
		run(() -> {
		});
		return this.tokens;
	}

	/**
	 * Sends waiting now.
	 * @return the count
	 */
	public int queued() {
		return this.queued;
	}

	/**
	 * Sends refused so far because the queue was full.
	 * @return the count
	 */
	public long rejected() {
		return this.rejected;
	}

	private void enqueue(Waiter waiter) {
		if (waiter.cancelled) {
			return;
		}
		if (this.waiting.isEmpty() && tryServe(waiter)) {
			return;
		}
		if (this.waiting.size() >= this.settings.maxQueue()) {
			this.rejected++;
			logger.debug("websockex client '{}': rate-limit queue full ({}), send refused", this.client,
					this.settings.maxQueue());
			waiter.fail(new RateLimitExceededException(this.client, this.settings.maxQueue()));
		}
		else {
			this.waiting.addLast(waiter);
		}
	}

	/** Post a command: it runs now, unless another thread is draining (then it does). */
	private void run(Runnable command) {
		this.loop.execute(command);
	}

	private void serve() {
		Waiter head;
		while ((head = this.waiting.peekFirst()) != null) {
			if (head.cancelled) {
				this.waiting.pollFirst();
			}
			else if (tryServe(head)) {
				this.waiting.pollFirst();
			}
			else {
				long delay = this.bucket.nanosUntil(head.cost);
				if (delay >= 0) {
					scheduleDrain(delay);
				}
				// else a held spend is still being written; its settle drains again.
				break;
			}
		}
		this.tokens = this.bucket.available();
		this.queued = this.waiting.size();
	}

	private boolean tryServe(Waiter waiter) {
		TokenBucket.Spend spend;
		if (waiter.hold) {
			spend = this.bucket.tryHold(waiter.cost);
		}
		else {
			spend = this.bucket.tryTake(waiter.cost) ? TokenBucket.Spend.NONE : null;
		}
		if (spend == null) {
			return false;
		}
		waiter.held = spend;
		waiter.complete(spend);
		return true;
	}

	/** One timer at a time, for the earliest moment the head can be served. */
	private void scheduleDrain(long delayNanos) {
		long now = this.clock.getAsLong();
		long at = now + delayNanos;
		Disposable pending = this.timer;
		if (pending != null && !pending.isDisposed() && this.timerAt - now > 0 && this.timerAt - at <= 0) {
			return;
		}
		if (pending != null) {
			pending.dispose();
		}
		this.timerAt = at;
		this.timer = this.scheduler.schedule(() -> run(() -> {
		}), Math.max(delayNanos, 1), TimeUnit.NANOSECONDS);
	}

	@Override
	public String toString() {
		return "RateLimiter[" + this.client + "]";
	}

	/** One subscriber waiting for tokens. */
	private final class Waiter {

		final int cost;

		final boolean hold;

		final MonoSink<TokenBucket.Spend> sink;

		/** What the waiter was served; read by the cancel command in the loop. */
		TokenBucket.@Nullable Spend held;

		/**
		 * Set at once on cancel, so that the loop skips it even before the removal runs.
		 */
		volatile boolean cancelled;

		Waiter(int cost, boolean hold, MonoSink<TokenBucket.Spend> sink) {
			this.cost = cost;
			this.hold = hold;
			this.sink = sink;
		}

		void complete(TokenBucket.Spend spend) {
			try {
				this.sink.success(spend);
			}
			catch (Throwable ex) {
				onSubscriberError(ex);
			}
		}

		void fail(Throwable error) {
			try {
				this.sink.error(error);
			}
			catch (Throwable ex) {
				onSubscriberError(ex);
			}
		}

		/** A subscriber that throws must not stop the loop that serves everyone else. */
		private void onSubscriberError(Throwable ex) {
			Exceptions.throwIfJvmFatal(ex);
			logger.warn("websockex client '{}': a send waiting for rate-limit tokens failed in its subscriber",
					RateLimiter.this.client, ex);
		}

	}

}
