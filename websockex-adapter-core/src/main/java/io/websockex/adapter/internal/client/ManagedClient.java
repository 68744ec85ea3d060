package io.websockex.adapter.internal.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.websockex.adapter.ClientClosedException;
import io.websockex.adapter.ClientMetrics;
import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionLostException;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.DisconnectReason;
import io.websockex.adapter.HeartbeatHealth;
import io.websockex.adapter.JsonRpcErrorException;
import io.websockex.adapter.NotConnectedException;
import io.websockex.adapter.RequestOutcome;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexException;
import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.internal.heartbeat.HeartbeatLink;
import io.websockex.adapter.internal.heartbeat.HeartbeatMonitor;
import io.websockex.adapter.internal.jsonrpc.JsonRpcCodec;
import io.websockex.adapter.internal.jsonrpc.RequestCorrelator;
import io.websockex.adapter.platform.Platform;
import io.websockex.adapter.internal.ratelimit.RateLimiter;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@link WebsockexClient}: owns at most one {@link Session} at a time and the
 * reconnect loop around it. Every state transition runs on one {@link SerialExecutor}, so
 * transitions happen in one place, in order, never concurrently; the fields marked
 * "owned" are touched only there. Sends, requests and the inbound path read the current
 * session through a volatile field and never take part in transitions.
 */
public final class ManagedClient implements WebsockexClient {

	private static final Logger logger = LoggerFactory.getLogger(ManagedClient.class);

	private static final VarHandle TRACKED;

	static {
		try {
			TRACKED = MethodHandles.lookup().findVarHandle(ManagedClient.class, "tracked", Set.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	// Stateless over the shared mapper: one for all clients.
	private static final JsonRpcCodec SHARED_CODEC = new JsonRpcCodec(JsonMapper.shared());

	private final String name;

	private final Config config;

	private final ClientCounters counters = new ClientCounters();

	private final JsonRpcCodec codec = SHARED_CODEC;

	private final RequestCorrelator correlator;

	private final InboundBroadcast broadcast;

	private final HeartbeatMonitor heartbeat;

	private final @Nullable RateLimiter rateLimiter;

	// Copy on write like a CopyOnWriteArraySet, but an immutable snapshot swapped by CAS
	// (TRACKED): a client with no subscriptions shares the empty set instead of keeping
	// a set, a list and an array of its own.
	private volatile Set<String> tracked;

	private final RequestSender requests;

	private final ConnectionLoop loop;

	/**
	 * Create a client; use {@link WebsockexClient#create(String, Config)}.
	 * @param name the client's name
	 * @param config the configuration
	 * @param httpClientCustomizer adjusts the Reactor Netty client
	 */
	public ManagedClient(String name, Config config, UnaryOperator<HttpClient> httpClientCustomizer) {
		this.name = name;
		this.config = config;
		this.correlator = new RequestCorrelator(name, config.requestTimeout(), Schedulers.parallel());
		this.broadcast = new InboundBroadcast(name, config.inboundBuffer(), this.counters);
		this.heartbeat = new HeartbeatMonitor(name, config.heartbeat());
		this.rateLimiter = (config.rateLimit() != null) ? new RateLimiter(name, config.rateLimit()) : null;
		this.requests = new RequestSender(name, this.correlator, this.codec, this.rateLimiter);
		InboundRouter router = new InboundRouter(name, this.codec.mapper(), config.platform(), this.correlator,
				this.heartbeat, this.broadcast, this.counters, config.maxFrameSize(), config.pingRepliesPerSecond());
		this.tracked = snapshot(new LinkedHashSet<>(config.subscriptions()));
		this.loop = new ConnectionLoop(name, config, httpClientCustomizer, this.counters, router, new SessionHooks());
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public Config config() {
		return this.config;
	}

	@Override
	public void start() {
		this.loop.start();
	}

	@Override
	public Mono<Void> disconnect() {
		return this.loop.disconnect();
	}

	@Override
	public Mono<Void> close() {
		return this.loop.close();
	}

	@Override
	public Mono<Void> reconnect() {
		return this.loop.reconnect();
	}

	@Override
	public Mono<Void> awaitConnected() {
		return this.loop.awaitConnected();
	}

	// ---- after connect: auth, heartbeat, subscriptions ----

	private void afterConnect(Session session) {
		// The session may have ended while auth was in flight: never arm a timer for it.
		authenticate(session)
			.then(Mono.defer(() -> (session == this.loop.current() && session.isOpen())
					? this.heartbeat.onConnected(session.link) : Mono.empty()))
			.then(Mono.defer(() -> restoreSubscriptions(session)))
			.doFinally((signal) -> session.setUpOver())
			.subscribe(null, (error) -> this.loop.execute(() -> onSetupFailed(session, error)));
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
		return call(session, call.method(), call.params(), false).doOnNext((result) -> {
			session.authenticated = true;
			logger.info("websockex client '{}' authenticated", this.name);
		}).doOnError((ex) -> session.authFailed = true).onErrorMap(JsonRpcErrorException.class, (ex) -> {
			// Wrong credentials do not fix themselves; any other refusal (rate limit,
			// server
			// error) is retried like a lost connection.
			if (platform.rejectsCredentials(ex.code())) {
				session.fatalReason = "authentication rejected by the server: error " + ex.code() + " ("
						+ ex.errorMessage() + "); check auth.client-id and auth.client-secret";
			}
			return ex;
		}).then();
	}

	private Mono<Void> restoreSubscriptions(Session session) {
		Set<String> channels = new LinkedHashSet<>(this.config.subscriptions());
		channels.addAll(this.tracked);
		if (channels.isEmpty() || !this.config.platform().supportsSubscriptions()) {
			return Mono.empty();
		}
		Platform.Call call = this.config.platform().subscribe(channels, session.authenticated);
		return call(session, call.method(), call.params(), true).doOnNext((result) -> {
			session.restored = Set.copyOf(channels);
			logger.info("websockex client '{}' subscribed to {} channel(s)", this.name, channels.size());
		}).then();
	}

	private void onSetupFailed(Session session, Throwable error) {
		if (session != this.loop.current()) {
			return;
		}
		if (session.fatalReason != null) {
			this.loop.recordError(session.fatalReason);
			logger.error("websockex client '{}': {}", this.name, session.fatalReason);
			session.outbound.sendClose(1000, "authentication failed").subscribe(null, (ex) -> session.abort());
			return;
		}
		if (error instanceof ConnectionLostException || error instanceof ClientClosedException) {
			return;
		}
		String reason = "setup after connect failed: " + this.loop.describe(error);
		if (error instanceof JsonRpcErrorException && !session.authFailed) {
			// The server answered the restore with an error: reconnecting would get the
			// same.
			this.loop.recordError(reason);
			logger.error("websockex client '{}': {}; the session stays up without those subscriptions", this.name,
					reason);
			return;
		}
		// A session without its auth, heartbeat or subscriptions looks up but is not:
		// drop it
		// and let the loop reconnect with backoff.
		logger.warn("websockex client '{}': {}; reconnecting", this.name, reason);
		session.deadReason = reason;
		session.abort();
	}

	// ---- sending ----

	@Override
	public Mono<Void> send(String text) {
		return Mono.defer(() -> {
			Session session = requireSession();
			String method = (this.rateLimiter != null) ? MethodSniffer.method(this.codec.mapper(), text) : null;
			return limited(method, session.write(() -> new TextWebSocketFrame(text), "a send"));
		});
	}

	@Override
	public Mono<Void> send(byte[] bytes) {
		return Mono.defer(() -> {
			Session session = requireSession();
			return limited(null, session
				.write(() -> new BinaryWebSocketFrame(io.netty.buffer.Unpooled.wrappedBuffer(bytes)), "a send"));
		});
	}

	private Mono<Void> limited(@Nullable String method, Mono<Void> write) {
		RateLimiter limiter = this.rateLimiter;
		if (limiter == null) {
			return write;
		}
		return Mono.defer(() -> limiter.limit(limiter.settings().cost().cost(method), write));
	}

	private Session requireSession() {
		Session session = this.loop.current();
		ConnectionState now = this.loop.state();
		if (session == null || now != ConnectionState.CONNECTED) {
			if (this.loop.disconnectReason() == DisconnectReason.CLOSED_BY_USER
					&& now == ConnectionState.DISCONNECTED) {
				throw new ClientClosedException(this.name, "this send", !this.loop.isClosed());
			}
			throw new NotConnectedException(this.name, now);
		}
		return session;
	}

	@Override
	public Mono<JsonNode> request(String method, Object params) {
		return this.requests.call(this::requireSession, method, params, true);
	}

	@Override
	public Disposable observeRequests(Consumer<RequestOutcome> observer) {
		return this.requests.observe(observer);
	}

	/**
	 * Make a JSON-RPC call on a session and return its result.
	 * @param limited whether the send waits for rate-limit tokens
	 */
	private Mono<JsonNode> call(Session session, String method, Object params, boolean limited) {
		return this.requests.call(() -> session, method, params, limited);
	}

	@Override
	public Mono<JsonNode> sendRequest(ObjectNode message) {
		return Mono.defer(() -> {
			Object key = JsonRpcCodec.idKey(message);
			if (key == null) {
				return Mono.error(new IllegalArgumentException("websockex client '" + this.name
						+ "': sendRequest needs a message with a string or integer 'id'; use request(method, params) "
						+ "to have one assigned"));
			}
			JsonNode methodNode = message.get("method");
			String method = (methodNode != null) ? methodNode.asString("") : "";
			return this.requests.send(this::requireSession, key, method, message);
		});
	}

	// ---- subscriptions ----

	@Override
	public Mono<Void> subscribe(String... channels) {
		return changeSubscriptions(true, channels);
	}

	@Override
	public Mono<Void> unsubscribe(String... channels) {
		return changeSubscriptions(false, channels);
	}

	private Mono<Void> changeSubscriptions(boolean subscribe, String... channels) {
		return Mono.defer(() -> {
			Platform platform = this.config.platform();
			if (!platform.supportsSubscriptions()) {
				return Mono.error(new WebsockexException("websockex client '" + this.name + "': platform '"
						+ platform.name() + "' has no subscriptions; send the server's own message with send(...), "
						+ "or set platform to deribit or json-rpc"));
			}
			List<String> list = List.copyOf(new LinkedHashSet<>(Arrays.asList(channels)));
			if (list.isEmpty()) {
				return Mono.empty();
			}
			if (subscribe) {
				updateTracked((set) -> set.addAll(list));
			}
			else {
				updateTracked((set) -> set.removeAll(list));
			}
			Session session = this.loop.current();
			if (session == null || this.loop.state() != ConnectionState.CONNECTED) {
				// Tracked: sent with the restore on the next connect.
				return Mono.empty();
			}
			// Wait for the after-connect setup: its restore may already carry these
			// channels.
			return session.ready().then(Mono.defer(() -> {
				List<String> toSend = subscribe
						? list.stream().filter((channel) -> !session.restored.contains(channel)).toList() : list;
				if (toSend.isEmpty()) {
					return Mono.empty();
				}
				Platform.Call call = subscribe ? platform.subscribe(toSend, session.authenticated)
						: platform.unsubscribe(toSend, session.authenticated);
				Mono<Void> result = call(session, call.method(), call.params(), true).then();
				return subscribe ? result.doOnError((error) -> {
					if (error instanceof JsonRpcErrorException) {
						updateTracked((set) -> set.removeAll(toSend));
					}
				}) : result;
			}));
		});
	}

	/**
	 * Change the tracked channels: copy, change, and swap the snapshot unless another
	 * change came first (then retry on that one).
	 * @param change changes a mutable copy, returns whether it changed anything
	 */
	private void updateTracked(Predicate<Set<String>> change) {
		while (true) {
			Set<String> current = this.tracked;
			LinkedHashSet<String> next = new LinkedHashSet<>(current);
			if (!change.test(next) || TRACKED.compareAndSet(this, current, snapshot(next))) {
				return;
			}
		}
	}

	private static Set<String> snapshot(LinkedHashSet<String> channels) {
		return channels.isEmpty() ? Set.of() : Collections.unmodifiableSet(channels);
	}

	@Override
	public Set<String> subscriptions() {
		return Collections.unmodifiableSet(new LinkedHashSet<>(this.tracked));
	}

	// ---- streams and snapshots ----

	@Override
	public Flux<JsonNode> channel(String channel) {
		return this.broadcast.channel(channel);
	}

	@Override
	public Flux<WebsockexMessage> messages() {
		return this.broadcast.messages();
	}

	@Override
	public ConnectionState state() {
		return this.loop.state();
	}

	@Override
	public Flux<ConnectionState> states() {
		return this.loop.states();
	}

	@Override
	public ClientMetrics metrics() {
		RateLimiter limiter = this.rateLimiter;
		long text = this.counters.get(ClientCounters.TEXT_SENT);
		long binary = this.counters.get(ClientCounters.BINARY_SENT);
		return new ClientMetrics(this.loop.state(), this.loop.connectedSince(),
				this.counters.get(ClientCounters.CONNECTION_ATTEMPTS),
				this.counters.get(ClientCounters.CONNECTION_SUCCESSES),
				this.counters.get(ClientCounters.CONNECTION_FAILURES), this.counters.get(ClientCounters.RECONNECTS),
				this.loop.currentAttempt(), this.loop.disconnectReason(), this.loop.lastError(),
				this.loop.lastErrorAt(), this.counters.get(ClientCounters.MESSAGES_RECEIVED), text + binary, text,
				binary, this.counters.get(ClientCounters.BYTES_RECEIVED), this.counters.get(ClientCounters.BYTES_SENT),
				this.counters.get(ClientCounters.INBOUND_OVERFLOWS),
				this.counters.get(ClientCounters.INBOUND_TOO_LARGE), this.counters.get(ClientCounters.PROTOCOL_ERRORS),
				this.correlator.size(), this.tracked.size(), (limiter != null) ? limiter.availableTokens() : -1,
				(limiter != null) ? limiter.queued() : 0, (limiter != null) ? limiter.rejected() : 0);
	}

	@Override
	public HeartbeatHealth heartbeatHealth() {
		return this.heartbeat.health();
	}

	@Override
	public String toString() {
		return "WebsockexClient[" + this.name + ", " + this.config.maskedUrl() + ", " + this.loop.state() + "]";
	}

	/** What this client does at the edges of each session, called by the loop. */
	private final class SessionHooks implements ConnectionLoop.Hooks {

		@Override
		public HeartbeatLink linkFor(Session session) {
			return new SessionLink(session);
		}

		@Override
		public void onOpened(Session session) {
			afterConnect(session);
		}

		@Override
		public void onEnded(@Nullable Session session) {
			ManagedClient.this.heartbeat.onDisconnected();
			if (session != null && !ManagedClient.this.config.restoreSubscriptions()) {
				updateTracked((set) -> set.retainAll(ManagedClient.this.config.subscriptions()));
			}
		}

		@Override
		public void failInFlight(Function<String, Throwable> error) {
			ManagedClient.this.correlator.failAll((method) -> error.apply("request '" + method + "'"));
			RateLimiter limiter = ManagedClient.this.rateLimiter;
			if (limiter != null) {
				limiter.failQueued(() -> error.apply("a send waiting for rate-limit tokens"));
			}
		}

		@Override
		public void onClosed() {
			ManagedClient.this.broadcast.complete();
		}

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
			return call(this.session, method, params, false);
		}

		@Override
		public void declareDead(String reason) {
			// The monitor has already stopped this session's timer; stopping the
			// monitor here could stop the next session's timer when a late tick
			// races a reconnect.
			this.session.deadReason = reason;
			this.session.abort();
		}

	}

}
