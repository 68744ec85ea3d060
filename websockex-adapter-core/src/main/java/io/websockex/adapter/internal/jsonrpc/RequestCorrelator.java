package io.websockex.adapter.internal.jsonrpc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.websockex.adapter.RequestTimeoutException;
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

	private static final VarHandle PENDING;

	private static final VarHandle IDS;

	private static final VarHandle SWEEP_ARMED;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			PENDING = lookup.findVarHandle(RequestCorrelator.class, "pending", ConcurrentHashMap.class);
			IDS = lookup.findVarHandle(RequestCorrelator.class, "ids", long.class);
			SWEEP_ARMED = lookup.findVarHandle(RequestCorrelator.class, "sweepArmed", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	// Made at the first request: many clients only subscribe and never send one, and an
	// idle client's heap counts. Plain fields behind VarHandles for the same reason.
	private volatile @Nullable ConcurrentHashMap<Object, Pending> pending;

	@SuppressWarnings("unused") // through IDS
	private long ids;

	@SuppressWarnings("unused") // through SWEEP_ARMED
	private boolean sweepArmed;

	private final String client;

	private final Duration timeout;

	private final Scheduler timer;

	/**
	 * Create a table.
	 * @param client the client's name, for errors
	 * @param timeout how long a request may wait for its response
	 * @param timer where the sweep runs
	 */
	public RequestCorrelator(String client, Duration timeout, Scheduler timer) {
		this.client = client;
		this.timeout = timeout;
		this.timer = timer;
	}

	/**
	 * The client's name.
	 * @return the name, for errors
	 */
	public String client() {
		return this.client;
	}

	/**
	 * The next request id, unique within the client.
	 * @return the id
	 */
	public long nextId() {
		return (long) IDS.getAndAdd(this, 1L) + 1;
	}

	private ConcurrentHashMap<Object, Pending> table() {
		ConcurrentHashMap<Object, Pending> table = this.pending;
		if (table == null) {
			PENDING.compareAndSet(this, null, new ConcurrentHashMap<>());
			table = this.pending;
		}
		return table;
	}

	/**
	 * The deadline of a request registered now.
	 * @return the deadline, in {@link System#nanoTime()} terms
	 */
	public long deadline() {
		return System.nanoTime() + this.timeout.toNanos();
	}

	/**
	 * When a request with this deadline was registered: its round trip starts there.
	 * @param deadline a deadline from {@link #deadline()}
	 * @return the time, in {@link System#nanoTime()} terms
	 */
	public long startOf(long deadline) {
		return deadline - this.timeout.toNanos();
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
		if (table().putIfAbsent(key, request) != null) {
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
		Map<Object, Pending> table = this.pending;
		return table != null && table.remove(key, request);
	}

	private void armSweep() {
		if (SWEEP_ARMED.compareAndSet(this, false, true)) {
			this.timer.schedule(this::sweep, sweepNanos(), TimeUnit.NANOSECONDS);
		}
	}

	private long sweepNanos() {
		return Math.max(Duration.ofMillis(5).toNanos(),
				Math.min(this.timeout.toNanos() / 10, Duration.ofSeconds(1).toNanos()));
	}

	private void sweep() {
		Map<Object, Pending> table = table();
		long now = System.nanoTime();
		table.forEach((key, entry) -> {
			if (now - entry.deadline() >= 0 && table.remove(key, entry)) {
				entry.fail(new RequestTimeoutException(this.client, entry.method(), String.valueOf(key), this.timeout));
			}
		});
		SWEEP_ARMED.setVolatile(this, false);
		// A request registered while this sweep ran may have found it still armed.
		if (!table.isEmpty()) {
			armSweep();
		}
	}

	/**
	 * Complete the request a response answers.
	 * @param message a parsed inbound message
	 * @return {@code true} if it answered a pending request (and is consumed)
	 */
	public boolean complete(JsonNode message) {
		Map<Object, Pending> table = this.pending;
		if (table == null || table.isEmpty()) {
			return false;
		}
		Object key = JsonRpcCodec.idKey(message);
		if (key == null || !JsonRpcCodec.isResponse(message)) {
			return false;
		}
		Pending entry = table.remove(key);
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
		Map<Object, Pending> table = this.pending;
		if (table == null) {
			return;
		}
		for (Object key : table.keySet()) {
			Pending entry = table.remove(key);
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
		Map<Object, Pending> table = this.pending;
		return table != null && !table.isEmpty();
	}

	/**
	 * Whether a request made before a moment still awaits its response: a session that is
	 * being replaced stays open until its requests are answered. A scan, for the rare
	 * moment of a rotation, not for the request path.
	 * @param deadline {@link #deadline()} taken at that moment: requests with a deadline
	 * up to it were made before it
	 * @return {@code true} if one is pending
	 */
	public boolean hasPendingDueBy(long deadline) {
		Map<Object, Pending> table = this.pending;
		if (table == null) {
			return false;
		}
		for (Pending entry : table.values()) {
			if (entry.deadline() - deadline <= 0) {
				return true;
			}
		}
		return false;
	}

	/**
	 * How many requests await their response.
	 * @return the count
	 */
	public int size() {
		Map<Object, Pending> table = this.pending;
		return (table != null) ? table.size() : 0;
	}

	/**
	 * The method of a pending request.
	 * @param key the correlation key
	 * @return the method, or {@code null}
	 */
	public @Nullable String method(Object key) {
		Map<Object, Pending> table = this.pending;
		Pending entry = (table != null) ? table.get(key) : null;
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
