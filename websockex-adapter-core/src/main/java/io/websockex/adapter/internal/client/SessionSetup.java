package io.websockex.adapter.internal.client;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.websockex.adapter.ClientClosedException;
import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionLostException;
import io.websockex.adapter.Credentials;
import io.websockex.adapter.JsonRpcErrorException;
import io.websockex.adapter.internal.heartbeat.HeartbeatLink;
import io.websockex.adapter.internal.heartbeat.HeartbeatMonitor;
import io.websockex.adapter.internal.recording.FrameRecorder;
import io.websockex.adapter.platform.Platform;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.netty.Connection;
import tools.jackson.databind.JsonNode;

/**
 * What every session of a client gets: made with its heartbeat's view of it, then, once
 * connected, authenticated, its heartbeat started and its subscriptions restored, in that
 * order. The {@link ConnectionLoop} runs it and decides what a failure means for the
 * session ({@link #classify}); this class never ends a session on its own, except for the
 * heartbeat declaring it dead. Steps added after connect go in {@link #run}.
 * <p>
 * It also keeps the session's token alive: when the auth answer says how long the token
 * lives, a refresh is scheduled at {@code auth.refresh-at} of that life, sent on the live
 * session ahead of rate-limited sends; a refresh that fails falls back to a full auth,
 * and what that full auth fails with is handed to the loop like a failed setup
 * ({@link #onLateFailure}), so wrong credentials end the client as at connect time.
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

	private final Scheduler timer;

	private final List<String> secrets;

	private final @Nullable FrameRecorder recorder;

	// Each auth and refresh that says until when: for the events and the endpoint.
	private final Sinks.Many<Instant> authentications = Sinks.many().multicast().directBestEffort();

	// Set once by the loop before the first session; a failure before that is only
	// logged.
	private volatile BiConsumer<Session, Throwable> lateFailure = (session, error) -> logger
		.warn("websockex client '{}': token refresh failed: {}", SessionSetup.this.client, describe(error));

	SessionSetup(String client, Config config, ClientCounters counters, RequestSender requests,
			HeartbeatMonitor heartbeat, Subscriptions subscriptions, Scheduler timer) {
		this(client, config, counters, requests, heartbeat, subscriptions, timer, null, null);
	}

	SessionSetup(String client, Config config, ClientCounters counters, RequestSender requests,
			HeartbeatMonitor heartbeat, Subscriptions subscriptions, Scheduler timer, @Nullable FrameRecorder recorder,
			@Nullable InboundRouter router) {
		this.recorder = recorder;
		this.router = router;
		this.client = client;
		this.config = config;
		this.counters = counters;
		this.requests = requests;
		this.heartbeat = heartbeat;
		this.subscriptions = subscriptions;
		this.timer = timer;
		this.secrets = FailureClassifier.secretsOf(config);
	}

	/**
	 * Where a failure after the setup goes (a token refresh whose fallback auth failed):
	 * the loop classifies it like a failed setup.
	 * @param handler takes the session and the error; must not block
	 */
	void onLateFailure(BiConsumer<Session, Throwable> handler) {
		this.lateFailure = handler;
	}

	/**
	 * Until when each auth and token refresh holds the session authenticated.
	 * @return a hot stream, completed by {@link #complete()}
	 */
	Flux<Instant> authentications() {
		return this.authentications.asFlux();
	}

	/** The client closed for good: complete {@link #authentications()}. */
	void complete() {
		this.authentications.emitComplete(Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(100)));
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
		Credentials credentials = this.config.auth();
		if (credentials == null || this.config.platform().auth(credentials) == null) {
			return Mono.empty();
		}
		return fullAuth(session, false).then();
	}

	/** The platform's auth call with the credentials; a failure marks the session. */
	private Mono<JsonNode> fullAuth(Session session, boolean renewal) {
		return Mono.defer(() -> {
			Credentials credentials = this.config.auth();
			// Built at subscription: a signed call carries a fresh timestamp and nonce.
			Platform.Call call = (credentials != null) ? this.config.platform().auth(credentials) : null;
			if (call == null) {
				return Mono.empty();
			}
			return authCall(session, call, renewal);
		}).doOnError((ex) -> session.authFailed = true);
	}

	/**
	 * An auth or refresh call: not rate limited, so it goes out ahead of queued sends,
	 * and its answer's token is kept and its refresh scheduled.
	 */
	private Mono<JsonNode> authCall(Session session, Platform.Call call, boolean renewal) {
		return Mono.defer(() -> {
			// The token's life counts from the send: the server started it no earlier.
			Instant sentAt = Instant.now();
			return this.requests.call(() -> session, call.method(), call.params(), false)
				.doOnNext((result) -> onAuthenticated(session, result, sentAt, renewal));
		});
	}

	private void onAuthenticated(Session session, JsonNode result, Instant sentAt, boolean renewal) {
		session.authenticated = true;
		Platform.Token token = (result.isObject()) ? this.config.platform().token(result) : null;
		Instant until = (token != null) ? sentAt.plus(token.expiresIn()) : null;
		session.authenticatedUntil = until;
		if (until == null) {
			logger.info("websockex client '{}' authenticated", this.client);
			return;
		}
		logger.info("websockex client '{}' {}; authenticated until {}", this.client,
				renewal ? "renewed its token" : "authenticated", until);
		this.authentications.emitNext(until, Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(100)));
		scheduleRefresh(session, token);
	}

	private void scheduleRefresh(Session session, Platform.Token token) {
		Credentials credentials = this.config.auth();
		if (credentials == null || session.endCause() != null) {
			return;
		}
		long delay = (long) (token.expiresIn().toNanos() * credentials.refreshAt());
		Disposable previous = session.refreshTimer;
		if (previous != null) {
			previous.dispose();
		}
		session.refreshTimer = this.timer.schedule(() -> refresh(session, token.refreshToken()), delay,
				TimeUnit.NANOSECONDS);
		if (session.endCause() != null) {
			// Ended while this was scheduled: onEnded may have missed the new timer.
			session.refreshTimer.dispose();
		}
	}

	private void refresh(Session session, @Nullable String refreshToken) {
		if (session.endCause() != null || !session.isOpen()) {
			return;
		}
		Platform.Call call = (refreshToken != null) ? this.config.platform().refresh(refreshToken) : null;
		Mono<JsonNode> renewal = (call == null) ? fullAuth(session, true)
				: authCall(session, call, true).onErrorResume((error) -> !sessionGone(error), (error) -> {
					logger.warn("websockex client '{}': token refresh failed: {}; authenticating again", this.client,
							describe(error));
					return fullAuth(session, true);
				});
		renewal.subscribe(null, (error) -> this.lateFailure.accept(session, error));
	}

	private static boolean sessionGone(Throwable error) {
		return error instanceof ConnectionLostException || error instanceof ClientClosedException;
	}

	private String describe(Throwable error) {
		return FailureClassifier.describe(error, this.secrets);
	}

	private Mono<Void> restoreSubscriptions(Session session) {
		Set<String> channels = this.subscriptions.toRestore();
		if (channels.isEmpty() || !this.config.platform().supportsSubscriptions()) {
			return Mono.empty();
		}
		return this.subscriptions.call(session, true, List.copyOf(channels), (chunk) -> {
			Set<String> restored = new LinkedHashSet<>(session.restored);
			restored.addAll(chunk);
			session.restored = Set.copyOf(restored);
		})
			.doOnSuccess((done) -> logger.info("websockex client '{}' subscribed to {} channel(s)", this.client,
					channels.size()));
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
		Disposable refresh = (session != null) ? session.refreshTimer : null;
		if (refresh != null) {
			refresh.dispose();
		}
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
			return this.session.write(() -> Session.textFrame(text), "a heartbeat");
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
