package io.websockex.adapter.internal.client;

import java.util.List;
import org.jspecify.annotations.Nullable;

import io.websockex.adapter.internal.recording.FrameRecorder;

import java.util.Set;

import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.websockex.adapter.ClientClosedException;
import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionLostException;
import io.websockex.adapter.JsonRpcErrorException;
import io.websockex.adapter.internal.heartbeat.HeartbeatLink;
import io.websockex.adapter.internal.heartbeat.HeartbeatMonitor;
import io.websockex.adapter.platform.Platform;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import tools.jackson.databind.JsonNode;

/**
 * What every session of a client gets: made with its heartbeat's view of it, then, once
 * connected, authenticated, its heartbeat started and its subscriptions restored, in that
 * order. The {@link ConnectionLoop} runs it and decides what a failure means for the
 * session ({@link #classify}); this class never ends a session on its own, except for the
 * heartbeat declaring it dead. Steps added after connect (a token refresh, say) go in
 * {@link #run}.
 */
final class SessionSetup {

	private static final Logger logger = LoggerFactory.getLogger(SessionSetup.class);

	private final String client;

	private final Config config;

	private final ClientCounters counters;

	private final RequestSender requests;

	private final HeartbeatMonitor heartbeat;

	private final Subscriptions subscriptions;

	// Told when two sessions deliver at once (a rotation's seam); null in unit tests
	// without a router.
	private final @Nullable InboundRouter router;

	private final @Nullable FrameRecorder recorder;

	SessionSetup(String client, Config config, ClientCounters counters, RequestSender requests,
			HeartbeatMonitor heartbeat, Subscriptions subscriptions) {
		this(client, config, counters, requests, heartbeat, subscriptions, null, null);
	}

	SessionSetup(String client, Config config, ClientCounters counters, RequestSender requests,
			HeartbeatMonitor heartbeat, Subscriptions subscriptions, @Nullable FrameRecorder recorder,
			@Nullable InboundRouter router) {
		this.recorder = recorder;
		this.router = router;
		this.client = client;
		this.config = config;
		this.counters = counters;
		this.requests = requests;
		this.heartbeat = heartbeat;
		this.subscriptions = subscriptions;
	}

	/**
	 * Make the session of an upgraded connection (a {@link Transport.SessionFactory}).
	 */
	Session newSession(long generation, Connection connection, Session.CloseSender closer) {
		Session session = new Session(generation, connection, closer, this.client, this.config.outboundBuffer(),
				this.counters);
		session.link = new SessionLink(session);
		session.recorder = this.recorder;
		return session;
	}

	/**
	 * The after-connect setup of a session: auth, heartbeat, restore.
	 * @param session the session, just connected
	 * @return completes when the setup is over; errors with what failed
	 */
	Mono<Void> run(Session session) {
		// The session may have ended while auth was in flight: never arm a timer for it.
		return authenticate(session)
			.then(Mono.defer(() -> (session.endCause() == null && session.isOpen())
					? this.heartbeat.onConnected(session.link) : Mono.empty()))
			.then(Mono.defer(() -> restoreSubscriptions(session)))
			.doFinally((signal) -> session.setUpOver());
	}

	/**
	 * The setup of a session that will replace a live one: auth and restore; its
	 * heartbeat starts at the switch ({@link #handOver}), the old session's runs until
	 * then.
	 * @param session the new session, just connected
	 * @return completes when the new session is authenticated and restored
	 */
	Mono<Void> prepare(Session session) {
		return authenticate(session).then(Mono.defer(() -> restoreSubscriptions(session)))
			.doFinally((signal) -> session.setUpOver());
	}

	/**
	 * A session is being replaced: until {@link #seamOver()}, both may deliver, and
	 * duplicates with a sequence number are dropped.
	 */
	void seamBegins(Session newer) {
		if (this.router != null) {
			this.router.beginSeam(newer, this.subscriptions.toRestore());
		}
	}

	/**
	 * Whether the old session may close without losing what only it has received.
	 * @return {@code true} when every sequenced channel of the new session overlaps it
	 */
	boolean seamSettled() {
		return this.router == null || this.router.seamSettled();
	}

	/**
	 * The seam is over.
	 * @param newer the session it was for
	 * @param replaced {@code true} when the old session is gone, {@code false} when the
	 * new one was given up
	 */
	void seamOver(Session newer, boolean replaced) {
		if (this.router != null) {
			this.router.endSeam(newer, replaced);
		}
	}

	/**
	 * The new session now carries the client: move the heartbeat to it, and make its
	 * channels those tracked now (a subscribe or unsubscribe made during the preparation
	 * went to the old session).
	 * @param session the session that replaced the old one
	 */
	void handOver(Session session) {
		this.heartbeat.onConnected(session.link).subscribe(null, (error) -> {
		});
		if (!this.config.platform().supportsSubscriptions()) {
			return;
		}
		Set<String> wanted = this.subscriptions.toRestore();
		Set<String> restored = session.restored;
		List<String> missing = wanted.stream().filter((channel) -> !restored.contains(channel)).toList();
		List<String> extra = restored.stream().filter((channel) -> !wanted.contains(channel)).toList();
		Platform platform = this.config.platform();
		if (!missing.isEmpty()) {
			Platform.Call call = platform.subscribe(missing, session.authenticated);
			this.requests.call(() -> session, call.method(), call.params(), true)
				.subscribe(null,
						(error) -> logger.warn(
								"websockex client '{}': subscribing {} on the new session " + "failed: {}", this.client,
								missing, error.getMessage()));
		}
		if (!extra.isEmpty()) {
			Platform.Call call = platform.unsubscribe(extra, session.authenticated);
			this.requests.call(() -> session, call.method(), call.params(), true).subscribe(null, (error) -> {
			});
		}
	}

	private Mono<Void> authenticate(Session session) {
		if (this.config.auth() == null) {
			return Mono.empty();
		}
		Platform platform = this.config.platform();
		Platform.Call call = platform.auth(this.config.auth());
		if (call == null) {
			return Mono.empty();
		}
		return this.requests.call(() -> session, call.method(), call.params(), false).doOnNext((result) -> {
			session.authenticated = true;
			logger.info("websockex client '{}' authenticated", this.client);
		}).doOnError((ex) -> session.authFailed = true).then();
	}

	private Mono<Void> restoreSubscriptions(Session session) {
		Set<String> channels = this.subscriptions.toRestore();
		if (channels.isEmpty() || !this.config.platform().supportsSubscriptions()) {
			return Mono.empty();
		}
		Platform.Call call = this.config.platform().subscribe(channels, session.authenticated);
		return this.requests.call(() -> session, call.method(), call.params(), true).doOnNext((result) -> {
			session.restored = Set.copyOf(channels);
			logger.info("websockex client '{}' subscribed to {} channel(s)", this.client, channels.size());
		}).then();
	}

	/**
	 * What a failed setup means for its session.
	 * @param session the session
	 * @param error what {@link #run} failed with
	 * @param describer describes errors without secrets
	 * @return the verdict
	 */
	Failure classify(Session session, Throwable error, java.util.function.Function<Throwable, String> describer) {
		if (session.authFailed && error instanceof JsonRpcErrorException rpc
				&& this.config.platform().rejectsCredentials(rpc.code())) {
			// Wrong credentials do not fix themselves; any other refusal (rate limit,
			// server error) is retried like a lost connection.
			return new Failure(Verdict.FATAL, "authentication rejected by the server: error " + rpc.code() + " ("
					+ rpc.errorMessage() + "); check auth.client-id and auth.client-secret");
		}
		if (error instanceof ConnectionLostException || error instanceof ClientClosedException) {
			// The session ended under the setup: its end cause says why.
			return new Failure(Verdict.IGNORE, "");
		}
		String reason = "setup after connect failed: " + describer.apply(error);
		if (error instanceof JsonRpcErrorException && !session.authFailed) {
			// The server answered the restore with an error: reconnecting would get the
			// same.
			return new Failure(Verdict.KEEP_SESSION, reason);
		}
		// A session without its auth, heartbeat or subscriptions looks up but is not.
		return new Failure(Verdict.RECONNECT, reason);
	}

	/**
	 * The session ended, or the client closed ({@code null}): stop its heartbeat.
	 * @param session the session that ended, or {@code null}
	 */
	void onEnded(@Nullable Session session) {
		this.heartbeat.onDisconnected();
		if (session != null && !this.config.restoreSubscriptions()) {
			this.subscriptions.retainConfigured();
		}
	}

	/** What the loop does after a failed setup. */
	enum Verdict {

		/** Nothing: the session is ending anyway. */
		IGNORE,
		/** Record the error and keep the session (the server refused the restore). */
		KEEP_SESSION,
		/** Drop the session and reconnect with backoff. */
		RECONNECT,
		/** Close the session and do not reconnect. */
		FATAL

	}

	/**
	 * A failed setup's verdict.
	 *
	 * @param verdict what to do
	 * @param reason why, for logs and {@code lastError}, with no secrets
	 */
	record Failure(Verdict verdict, String reason) {
	}

	/** What the heartbeat may do with one session: writes that skip the rate limiter. */
	private final class SessionLink implements HeartbeatLink {

		private final Session session;

		SessionLink(Session session) {
			this.session = session;
		}

		@Override
		public Mono<Void> ping() {
			return this.session.write(() -> new PingWebSocketFrame(), "a heartbeat ping");
		}

		@Override
		public Mono<Void> sendText(String text) {
			return this.session.write(() -> new TextWebSocketFrame(text), "a heartbeat");
		}

		@Override
		public Mono<JsonNode> request(String method, Object params) {
			return SessionSetup.this.requests.call(() -> this.session, method, params, false);
		}

		@Override
		public void declareDead(String reason) {
			// The monitor has already stopped this session's timer; stopping the
			// monitor here could stop the next session's timer when a late tick
			// races a reconnect.
			this.session.end(new EndCause.HeartbeatDead(reason));
			this.session.abort();
		}

	}

}
