package io.websockex.adapter.internal.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.websockex.adapter.Latency;
import io.websockex.adapter.RequestOutcome;
import io.websockex.adapter.internal.LatencyHistogram;
import io.websockex.adapter.internal.jsonrpc.JsonRpcCodec;
import io.websockex.adapter.internal.jsonrpc.RequestCorrelator;
import io.websockex.adapter.internal.ratelimit.RateLimiter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Makes the JSON-RPC requests of one client: each subscription to one of its monos writes
 * one request and ends with its response ({@link RequestMono}), and every outcome is told
 * to the request observers.
 */
final class RequestSender {

	private static final Logger logger = LoggerFactory.getLogger(RequestSender.class);

	final RequestCorrelator correlator;

	final JsonRpcCodec codec;

	final @Nullable RateLimiter rateLimiter;

	private static final VarHandle OBSERVERS;

	private static final VarHandle LATENCY;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			OBSERVERS = lookup.findVarHandle(RequestSender.class, "observers", List.class);
			LATENCY = lookup.findVarHandle(RequestSender.class, "latency", LatencyHistogram.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	// An immutable snapshot swapped by CAS: read on every request, changed almost never,
	// and with no observer it costs an idle client nothing.
	private volatile List<Consumer<RequestOutcome>> observers = List.of();

	// Round trips of the requests answered, for metrics().requestLatency(). Made at the
	// first answer (through LATENCY, first wins): many clients never make a request.
	private volatile @Nullable LatencyHistogram latency;

	/**
	 * The client's name, for errors: the correlator's, rather than a field of its own.
	 * @return the name
	 */
	String client() {
		return this.correlator.client();
	}

	RequestSender(RequestCorrelator correlator, JsonRpcCodec codec, @Nullable RateLimiter rateLimiter) {
		this.correlator = correlator;
		this.codec = codec;
		this.rateLimiter = rateLimiter;
	}

	/**
	 * A call with a fresh id whose mono emits the response's {@code result}.
	 * @param session the session to send on, looked up at subscription
	 * @param method the method
	 * @param params the params
	 * @param limited whether the send waits for rate-limit tokens
	 * @return the call, sent once per subscription
	 */
	Mono<JsonNode> call(Supplier<Session> session, String method, @Nullable Object params, boolean limited) {
		return new RequestMono(this, session, method, params, null, limited);
	}

	/**
	 * A request the caller built, with its own id; the mono emits the whole response.
	 * @param session the session to send on, looked up at subscription
	 * @param key the correlation key of the message's id
	 * @param method the method, or empty
	 * @param message the request
	 * @return the request, sent once per subscription
	 */
	Mono<JsonNode> send(Supplier<Session> session, Object key, String method, ObjectNode message) {
		return new RequestMono(this, session, method, message, key, true);
	}

	/**
	 * Count the round trip of an answered request.
	 * @param nanos how long it took
	 * @param now the time, in {@link System#nanoTime()} terms
	 */
	void recordLatency(long nanos, long now) {
		LatencyHistogram latency = this.latency;
		if (latency == null) {
			LATENCY.compareAndSet(this, null, new LatencyHistogram());
			latency = this.latency;
		}
		latency.record(nanos, now);
	}

	/**
	 * The round trips of the requests answered lately.
	 * @param now the time, in {@link System#nanoTime()} terms
	 * @return the percentiles, {@link Latency#NONE} when none was answered lately
	 */
	Latency latency(long now) {
		LatencyHistogram latency = this.latency;
		return (latency != null) ? latency.snapshot(now) : Latency.NONE;
	}

	Disposable observe(Consumer<RequestOutcome> observer) {
		change((list) -> {
			List<Consumer<RequestOutcome>> next = new ArrayList<>(list);
			next.add(observer);
			return next;
		});
		return () -> change((list) -> {
			List<Consumer<RequestOutcome>> next = new ArrayList<>(list);
			next.remove(observer);
			return next;
		});
	}

	private void change(UnaryOperator<List<Consumer<RequestOutcome>>> change) {
		List<Consumer<RequestOutcome>> current;
		List<Consumer<RequestOutcome>> next;
		do {
			current = this.observers;
			next = List.copyOf(change.apply(current));
		}
		while (!OBSERVERS.compareAndSet(this, current, next));
	}

	boolean observed() {
		return !this.observers.isEmpty();
	}

	void notifyObservers(String method, RequestOutcome.Outcome outcome, long start) {
		RequestOutcome event = new RequestOutcome(method, outcome, Duration.ofNanos(System.nanoTime() - start));
		for (Consumer<RequestOutcome> observer : this.observers) {
			try {
				observer.accept(event);
			}
			catch (RuntimeException ex) {
				logger.warn("websockex client '{}': a request observer failed", client(), ex);
			}
		}
	}

	/**
	 * Fail every request waiting for its response and every send waiting for rate-limit
	 * tokens: the session they were meant for is gone.
	 * @param error makes the error for one operation (named like "request 'x'")
	 */
	void failInFlight(Function<String, Throwable> error) {
		this.correlator.failAll((method) -> error.apply("request '" + method + "'"));
		RateLimiter limiter = this.rateLimiter;
		if (limiter != null) {
			limiter.failQueued(() -> error.apply("a send waiting for rate-limit tokens"));
		}
	}

}
