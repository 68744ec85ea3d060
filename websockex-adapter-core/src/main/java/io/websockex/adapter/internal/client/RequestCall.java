package io.websockex.adapter.internal.client;

import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.websockex.adapter.JsonRpcErrorException;
import io.websockex.adapter.RequestOutcome;
import io.websockex.adapter.internal.jsonrpc.JsonRpcCodec;
import io.websockex.adapter.internal.jsonrpc.RequestCorrelator;
import io.websockex.adapter.internal.ratelimit.RateLimiter;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import tools.jackson.databind.JsonNode;

/**
 * One subscription to a {@link RequestMono}: the subscriber's subscription, the entry in
 * the pending table and the listener of the request's write, all at once.
 *
 * <p>
 * Whoever takes the entry out of the table (the response, the timeout sweep, a lost
 * connection, a failed write, or {@link #cancel()}) is the only party that signals the
 * subscriber, so the signals need no lock.
 */
final class RequestCall extends Operators.MonoSubscriber<JsonNode, JsonNode>
		implements RequestCorrelator.Pending, Session.WriteListener {

	private final RequestMono request;

	private final RequestCorrelator correlator;

	private final Object key;

	private final String text;

	private final long deadline;

	/** When the request started, for the observers; 0 when nobody observes. */
	private final long start;

	/** The send waiting for rate-limit tokens, if any. */
	private volatile @Nullable Disposable sending;

	private volatile boolean ended;

	RequestCall(RequestMono request, CoreSubscriber<? super JsonNode> actual, Object key, String text, long deadline,
			long start) {
		super(actual);
		this.request = request;
		this.correlator = request.sender.correlator;
		this.key = key;
		this.text = text;
		this.deadline = deadline;
		this.start = start;
	}

	void start(Session session) {
		if (isCancelled()) {
			return;
		}
		if (!this.correlator.register(this.key, this)) {
			fail(new IllegalArgumentException(
					"websockex client '" + this.request.sender.client + "': a request with id " + this.key
							+ " is already pending; ids must be unique among requests in flight"));
			return;
		}
		if (isCancelled() && this.correlator.remove(this.key, this)) {
			return;
		}
		RateLimiter limiter = this.request.limited ? this.request.sender.rateLimiter : null;
		if (limiter == null) {
			session.write(this::frame, this);
			return;
		}
		String method = this.request.method.isEmpty() ? null : this.request.method;
		Disposable send = limiter
			.limit(limiter.settings().cost().cost(method),
					Mono.defer(() -> this.request.session().write(this::frame, what())))
			.subscribe(null, this::failed);
		this.sending = send;
		// The response, the timeout or a cancel may have come while the send was being
		// queued: a request that has ended is never written afterwards.
		if (this.ended) {
			send.dispose();
		}
	}

	private TextWebSocketFrame frame() {
		return Session.textFrame(this.text);
	}

	@Override
	public String method() {
		return this.request.method;
	}

	@Override
	public long deadline() {
		return this.deadline;
	}

	@Override
	public void succeed(JsonNode response) {
		// A response, error or not, ends a round trip; timeouts and lost connections do
		// not.
		long now = System.nanoTime();
		this.request.sender.latency.record(now - this.correlator.startOf(this.deadline), now);
		JsonNode value = response;
		if (this.request.key == null) {
			try {
				value = JsonRpcCodec.result(this.request.sender.client, this.request.method, response);
			}
			catch (JsonRpcErrorException ex) {
				fail(ex);
				return;
			}
		}
		end(RequestOutcome.Outcome.SUCCESS);
		complete(value);
	}

	@Override
	public void fail(Throwable error) {
		end(RequestOutcome.Outcome.ofError(error));
		if (!isCancelled()) {
			this.actual.onError(error);
		}
	}

	@Override
	public void cancel() {
		boolean removed = this.correlator.remove(this.key, this);
		super.cancel();
		if (removed) {
			end(RequestOutcome.Outcome.CANCELLED);
		}
	}

	private void end(RequestOutcome.Outcome outcome) {
		this.ended = true;
		Disposable send = this.sending;
		if (send != null) {
			send.dispose();
		}
		if (this.start != 0) {
			this.request.sender.notifyObservers(this.request.method, outcome, this.start);
		}
	}

	// ---- the write ----

	@Override
	public void written() {
	}

	@Override
	public void failed(Throwable error) {
		if (this.correlator.remove(this.key, this)) {
			fail(error);
		}
	}

	@Override
	public String what() {
		return "request '" + this.request.method + "'";
	}

}
