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
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
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

	private final Duration timeout;

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
		this.timeout = timeout;
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
	 * Await the response to a request that is about to be sent.
	 * @param key the correlation key ({@link JsonRpcCodec#idKey})
	 * @param method the request's method, for errors
	 * @param send sends the request; subscribed once the entry is registered
	 * @return the response; the entry is removed whatever the outcome
	 */
	public Mono<JsonNode> exchange(Object key, String method, Mono<Void> send) {
		return Mono.defer(() -> {
			// Exactly one party removes an entry from the table (response, sweep, failAll
			// or cancel), so each sink has a single emitter and needs no serialization.
			Pending entry = new Pending(method, Sinks.unsafe().one(), System.nanoTime() + this.timeout.toNanos());
			Pending previous = this.pending.putIfAbsent(key, entry);
			if (previous != null) {
				return Mono.error(new IllegalArgumentException("a request with id " + key
						+ " is already pending; ids must be unique among requests in flight"));
			}
			armSweep();
			// The response, a timeout or a drop may come while the send still waits (for
			// rate-limit tokens, for the socket): they end the exchange and cancel the
			// send,
			// so a timed-out request is never written afterwards. A failed send fails the
			// exchange through the table, like anything else that ends it.
			Disposable sending = send.subscribe(null, (error) -> {
				if (this.pending.remove(key, entry)) {
					entry.sink.tryEmitError(error);
				}
			});
			return entry.sink.asMono().doFinally((signal) -> {
				this.pending.remove(key, entry);
				sending.dispose();
			});
		});
	}

	private void armSweep() {
		if (this.sweepArmed.compareAndSet(false, true)) {
			this.timer.schedule(this::sweep, this.sweepNanos, TimeUnit.NANOSECONDS);
		}
	}

	private void sweep() {
		long now = System.nanoTime();
		this.pending.forEach((key, entry) -> {
			if (now - entry.deadline >= 0 && this.pending.remove(key, entry)) {
				entry.sink.tryEmitError(this.timeoutError.apply(entry.method, key));
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
		entry.sink.tryEmitValue(message);
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
				entry.sink.tryEmitError(error.apply(entry.method));
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
		return (entry != null) ? entry.method : null;
	}

	private record Pending(String method, Sinks.One<JsonNode> sink, long deadline) {
	}

}
