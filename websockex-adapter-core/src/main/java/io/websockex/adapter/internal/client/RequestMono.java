package io.websockex.adapter.internal.client;

import java.util.function.Supplier;

import io.websockex.adapter.RequestOutcome;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import tools.jackson.databind.JsonNode;

/**
 * One JSON-RPC request, sent once per subscription. Built for the request path that
 * market-data and trading users run thousands of times a second: a subscription is a
 * single {@link RequestCall} that is at once the subscriber's subscription, the pending
 * table's entry and the write's listener, instead of a chain of general-purpose
 * operators.
 */
final class RequestMono extends Mono<JsonNode> {

	final RequestSender sender;

	private final Supplier<Session> session;

	final String method;

	private final @Nullable Object params;

	/** The caller's own id (the mono then emits the whole response), or null. */
	final @Nullable Object key;

	final boolean limited;

	RequestMono(RequestSender sender, Supplier<Session> session, String method, @Nullable Object params,
			@Nullable Object key, boolean limited) {
		this.sender = sender;
		this.session = session;
		this.method = method;
		this.params = params;
		this.key = key;
		this.limited = limited;
	}

	/**
	 * The session to write on, looked up again when a send leaves the rate limiter's
	 * queue: the one of the subscription may have been replaced meanwhile.
	 * @return the session
	 */
	Session session() {
		return this.session.get();
	}

	@Override
	public void subscribe(CoreSubscriber<? super JsonNode> actual) {
		long start = this.sender.observed() ? System.nanoTime() : 0;
		// Before the session is looked up: a session being replaced waits for the
		// requests with a deadline up to the moment of the switch, and one that got it
		// must be among them.
		long deadline = this.sender.correlator.deadline();
		Session session;
		Object key;
		String text;
		try {
			session = this.session.get();
			if (this.key == null) {
				long id = this.sender.correlator.nextId();
				key = id;
				text = this.sender.codec.encodeRequest(id, this.method, this.params);
			}
			else {
				key = this.key;
				text = String.valueOf(this.params);
			}
		}
		catch (RuntimeException ex) {
			if (start != 0) {
				this.sender.notifyObservers(this.method, RequestOutcome.Outcome.ofError(ex), start);
			}
			Operators.error(actual, ex);
			return;
		}
		RequestCall call = new RequestCall(this, actual, key, text, deadline, start);
		actual.onSubscribe(call);
		call.start(session);
	}

}
