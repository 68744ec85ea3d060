package io.websockex.adapter.jsonrpc;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;

/**
 * The pending-request table of one client: matches responses to requests by id. An entry
 * lives from just before its request is written until its response, error, timeout or
 * cancellation, whichever comes first, so the table cannot grow without bound. Internal
 * to websockex.
 *
 * <p>
 * Timeouts cost no timer per request: each entry carries its deadline and one sweep per
 * client, armed only while requests are pending, expires the late ones. A request
 * therefore times out between {@code timeout} and {@code timeout} plus one sweep period
 * ({@code timeout / 10}, at most one second).
 */
public final class RequestCorrelator {

	private final Map<Object, Pending> pending = new ConcurrentHashMap<>();

	private final AtomicLong ids = new AtomicLong();

	private final AtomicBoolean sweepArmed = new AtomicBoolean();

	private final long timeoutNanos;

	private final long sweepNanos;

	private final Scheduler timer;

	private final BiFunction<String, Object, Throwable> timeoutError;

	/**
	 * Create a table.
	 * @param timeout how long a request may wait for its response
	 * @param timer where the sweep runs
	 * @param timeoutError the error of a request that timed out, given its method and id
	 */
	public RequestCorrelator(Duration timeout, Scheduler timer, BiFunction<String, Object, Throwable> timeoutError) {
		this.timeoutNanos = timeout.toNanos();
		this.sweepNanos = Math.max(Duration.ofMillis(5).toNanos(),
				Math.min(timeout.toNanos() / 10, Duration.ofSeconds(1).toNanos()));
		this.timer = timer;
		this.timeoutError = timeoutError;
	}

	/**
	 * The next request id, unique within the client.
	 * @return the id
	 */
	public long nextId() {
		return this.ids.incrementAndGet();
	}

	/**
	 * The deadline of a request registered now.
	 * @return the deadline, in {@link System#nanoTime()} terms
	 */
	public long deadline() {
		return System.nanoTime() + this.timeoutNanos;
	}

	/**
	 * Add a request that is about to be sent. From now on exactly one party takes it out
	 * of the table again (its response, the sweep, {@link #failAll}, or its owner through
	 * {@link #remove}) and only that party signals it, so a request needs no
	 * synchronization of its own.
	 * @param key the correlation key ({@link JsonRpcCodec#idKey})
	 * @param request the request
	 * @return {@code false} if another request with that key is pending
	 */
	public boolean register(Object key, Pending request) {
		if (this.pending.putIfAbsent(key, request) != null) {
			return false;
		}
		armSweep();
		return true;
	}

	/**
	 * Take a request out of the table, for its owner (cancelled, or its send failed).
	 * @param key the correlation key
	 * @param request the request
	 * @return {@code true} if it was still pending, and the caller now ends it
	 */
	public boolean remove(Object key, Pending request) {
		return this.pending.remove(key, request);
	}

	private void armSweep() {
		if (this.sweepArmed.compareAndSet(false, true)) {
			this.timer.schedule(this::sweep, this.sweepNanos, TimeUnit.NANOSECONDS);
		}
	}

	private void sweep() {
		long now = System.nanoTime();
		this.pending.forEach((key, entry) -> {
			if (now - entry.deadline() >= 0 && this.pending.remove(key, entry)) {
				entry.fail(this.timeoutError.apply(entry.method(), key));
			}
		});
		this.sweepArmed.set(false);
		// A request registered while this sweep ran may have found it still armed.
		if (!this.pending.isEmpty()) {
			armSweep();
		}
	}

	/**
	 * Complete the request a response answers.
	 * @param message a parsed inbound message
	 * @return {@code true} if it answered a pending request (and is consumed)
	 */
	public boolean complete(JsonNode message) {
		if (this.pending.isEmpty()) {
			return false;
		}
		Object key = JsonRpcCodec.idKey(message);
		if (key == null || !JsonRpcCodec.isResponse(message)) {
			return false;
		}
		Pending entry = this.pending.remove(key);
		if (entry == null) {
			return false;
		}
		entry.succeed(message);
		return true;
	}

	/**
	 * Fail every pending request at once.
	 * @param error the error for a request, given its method
	 */
	public void failAll(Function<String, Throwable> error) {
		for (Object key : this.pending.keySet()) {
			Pending entry = this.pending.remove(key);
			if (entry != null) {
				entry.fail(error.apply(entry.method()));
			}
		}
	}

	/**
	 * Whether any request awaits its response.
	 * @return {@code true} if the table is not empty
	 */
	public boolean hasPending() {
		return !this.pending.isEmpty();
	}

	/**
	 * How many requests await their response.
	 * @return the count
	 */
	public int size() {
		return this.pending.size();
	}

	/**
	 * The method of a pending request.
	 * @param key the correlation key
	 * @return the method, or {@code null}
	 */
	public @Nullable String method(Object key) {
		Pending entry = this.pending.get(key);
		return (entry != null) ? entry.method() : null;
	}

	/**
	 * A request awaiting its response. Whoever removes it from the table calls exactly
	 * one of {@link #succeed} or {@link #fail}, once.
	 */
	public interface Pending {

		/**
		 * The request's method, for errors.
		 * @return the method
		 */
		String method();

		/**
		 * When the request times out, from {@link RequestCorrelator#deadline()}.
		 * @return the deadline in {@link System#nanoTime()} terms
		 */
		long deadline();

		/**
		 * The response arrived.
		 * @param response the whole response message
		 */
		void succeed(JsonNode response);

		/**
		 * The request failed: timed out, the connection was lost, or it was never sent.
		 * @param error the error
		 */
		void fail(Throwable error);

	}

}
