package io.websockex.adapter.internal.client;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.websockex.adapter.ClientClosedException;
import io.websockex.adapter.ClientMetrics;
import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.DisconnectReason;
import io.websockex.adapter.HeartbeatHealth;
import io.websockex.adapter.NotConnectedException;
import io.websockex.adapter.Recording;
import io.websockex.adapter.RequestOutcome;
import io.websockex.adapter.SessionRotation;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.internal.heartbeat.HeartbeatMonitor;
import io.websockex.adapter.internal.jsonrpc.JsonRpcCodec;
import io.websockex.adapter.internal.jsonrpc.RequestCorrelator;
import io.websockex.adapter.internal.ratelimit.RateLimiter;
import io.websockex.adapter.internal.recording.FrameRecorder;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@link WebsockexClient}: a thin facade that assembles one client's parts and hands
 * each call to the part that owns it. The connection's life (state, attempts, backoff,
 * why each session ended) belongs to the {@link ConnectionLoop}; sends and requests go
 * straight to the loop's current {@link Session}; tracked channels are the
 * {@link Subscriptions}'. Calls go one way: facade, then loop, then session.
 */
public final class ManagedClient implements WebsockexClient {

	// Stateless over the shared mapper: one for all clients.
	private static final JsonRpcCodec SHARED_CODEC = JsonRpcCodec.overSharedMapper();

	private final String name;

	private final Config config;

	// The parts the facade calls. What another part already holds (the counters, the
	// correlator, the rate limiter, the recorder, the status) is read from it: an idle
	// client's heap counts.
	private final InboundBroadcast broadcast;

	private final HeartbeatMonitor heartbeat;

	private final Subscriptions subscriptions;

	private final RequestSender requests;

	private final ConnectionLoop loop;

	private final SessionSetup setup;

	/**
	 * Create a client; use {@link WebsockexClient#create(String, Config)}.
	 * @param name the client's name
	 * @param config the configuration
	 * @param httpClientCustomizer adjusts the Reactor Netty client
	 */
	public ManagedClient(String name, Config config, UnaryOperator<HttpClient> httpClientCustomizer) {
		this(name, config, httpClientCustomizer, SHARED_CODEC);
	}

	// Package-private for tests: a codec that tells on which thread its mapper is made.
	ManagedClient(String name, Config config, UnaryOperator<HttpClient> httpClientCustomizer, JsonRpcCodec codec) {
		this.name = name;
		this.config = config;
		Scheduler timer = Schedulers.parallel();
		ClientCounters counters = new ClientCounters();
		RequestCorrelator correlator = new RequestCorrelator(name, config.requestTimeout(), timer);
		this.broadcast = new InboundBroadcast(name, config.inboundBuffer(), counters);
		this.heartbeat = new HeartbeatMonitor(name, config.heartbeat());
		RateLimiter rateLimiter = (config.rateLimit() != null) ? new RateLimiter(name, config.rateLimit()) : null;
		this.requests = new RequestSender(correlator, codec, rateLimiter);
		this.subscriptions = new Subscriptions(config, this.requests);
		Recording recording = config.recording();
		// Writes what the sessions record, off the event loop; closed with the client.
		FrameRecorder recorder = (recording != null)
				? new FrameRecorder(name, recording.path(), recording.maxFileSize(), recording.maxFiles()) : null;
		if (config.platform().supportsSubscriptions() || this.heartbeat.needsJson() || config.auth() != null) {
			// Frames will be parsed on the event loop, and the auth call written there
			// after each connect: build the mapper here, on the caller's thread, not at
			// the first frame.
			codec.mapper();
		}
		InboundRouter router = new InboundRouter(name, codec, config.platform(), correlator, this.heartbeat,
				this.broadcast, counters, config.maxFrameSize(), config.pingRepliesPerSecond());
		this.setup = new SessionSetup(config, counters, this.requests, this.heartbeat, this.subscriptions, timer,
				recorder, router);
		Connector transport = HttpClientCustomizers.needsNoHttpClient(httpClientCustomizer)
				? new TcpTransport(config, HttpClientCustomizers.sslContext(httpClientCustomizer), router, this.setup)
				: new Transport(config, httpClientCustomizer, router, this.setup);
		this.loop = new ConnectionLoop(name, config, transport, this.setup, this.requests, this.broadcast, timer,
				counters);
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
		Mono<Void> closed = this.loop.close();
		FrameRecorder recorder = this.setup.recorder;
		if (recorder == null) {
			return closed;
		}
		// The recorder writes its last lines and stops its thread, which may take
		// seconds: on a thread made for blocking, never the event loop that may complete
		// the close, and at the call like the close itself, so that a caller who ignores
		// the Mono still gets the whole file and no recorder thread left behind. The Mono
		// completes once the file is complete.
		Mono<Void> recorded = closed
			.then(Mono.<Void>fromRunnable(recorder::close).subscribeOn(Schedulers.boundedElastic()))
			.cache();
		recorded.subscribe(null, (error) -> {
			// The caller's own subscription to the returned Mono gets it.
		});
		return recorded;
	}

	@Override
	public Mono<Void> reconnect() {
		return this.loop.reconnect();
	}

	@Override
	public Mono<Void> awaitConnected() {
		return this.loop.status().awaitConnected();
	}

	@Override
	public Mono<Void> awaitFirstAttempt() {
		return this.loop.status().awaitFirstAttempt();
	}

	// ---- sending ----

	@Override
	public Mono<Void> send(String text) {
		return Mono.defer(() -> {
			Session session = requireSession();
			if (this.requests.rateLimiter == null) {
				return session.write(() -> Session.textFrame(text), "a send");
			}
			String method = MethodSniffer.method(this.requests.codec.mapper(), text);
			return limited(method, () -> requireSession().write(() -> Session.textFrame(text), "a send"));
		});
	}

	@Override
	public Mono<Void> send(byte[] bytes) {
		return Mono.defer(() -> {
			Session session = requireSession();
			if (this.requests.rateLimiter == null) {
				return session.write(() -> new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)), "a send");
			}
			return limited(null, () -> requireSession()
				.write(() -> new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)), "a send"));
		});
	}

	// The session is looked up again when the send leaves the queue: the one of the
	// call may have been replaced meanwhile (max-connection-age).
	private Mono<Void> limited(@Nullable String method, Supplier<Mono<Void>> write) {
		RateLimiter limiter = Objects.requireNonNull(this.requests.rateLimiter);
		return limiter.limit(limiter.settings().cost().cost(method), Mono.defer(write));
	}

	private Session requireSession() {
		Session session = this.loop.current();
		ConnectionState now = this.loop.status().state();
		if (session == null || now != ConnectionState.CONNECTED) {
			if (this.loop.status().disconnectReason() == DisconnectReason.CLOSED_BY_USER
					&& now == ConnectionState.DISCONNECTED) {
				throw new ClientClosedException(this.name, "this send", !this.loop.status().isClosed());
			}
			throw new NotConnectedException(this.name, now);
		}
		return session;
	}

	@Override
	public Mono<JsonNode> request(String method, Object params) {
		prepareJson();
		return this.requests.call(this::requireSession, method, params, true);
	}

	// The response is read on the event loop, with the mapper: a client that had no use
	// for JSON until now (the raw platform) builds it here, on the caller's thread.
	// Params that need no serializer (none, or an empty map) would otherwise leave the
	// first build (some 500 classes, up to seconds on a busy machine) to the event loop
	// at the first response, stalling every connection on that loop meanwhile. Once
	// built, this is a field read.
	private void prepareJson() {
		this.requests.codec.mapper();
	}

	@Override
	public Disposable observeRequests(Consumer<RequestOutcome> observer) {
		return this.requests.observe(observer);
	}

	@Override
	public Disposable observeRotations(Consumer<SessionRotation> observer) {
		return this.loop.status().observeRotations(observer);
	}

	@Override
	public Mono<JsonNode> sendRequest(ObjectNode message) {
		prepareJson();
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
			Session session = this.loop.current();
			boolean live = session != null && this.loop.status().state() == ConnectionState.CONNECTED;
			return this.subscriptions.change(subscribe, channels, live ? session : null);
		});
	}

	@Override
	public Set<String> subscriptions() {
		return this.subscriptions.snapshot();
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
		return this.loop.status().state();
	}

	@Override
	public Flux<ConnectionState> states() {
		return this.loop.status().states();
	}

	@Override
	public ClientMetrics metrics() {
		RateLimiter limiter = this.requests.rateLimiter;
		long text = this.setup.counters.get(ClientCounters.TEXT_SENT);
		long binary = this.setup.counters.get(ClientCounters.BINARY_SENT);
		return new ClientMetrics(this.loop.status().state(), this.loop.status().connectedSince(),
				this.setup.counters.get(ClientCounters.CONNECTION_ATTEMPTS),
				this.setup.counters.get(ClientCounters.CONNECTION_SUCCESSES),
				this.setup.counters.get(ClientCounters.CONNECTION_FAILURES),
				this.setup.counters.get(ClientCounters.RECONNECTS), this.loop.status().currentAttempt(),
				this.loop.status().disconnectReason(), this.loop.status().lastError(), this.loop.status().lastErrorAt(),
				this.setup.counters.get(ClientCounters.MESSAGES_RECEIVED), text + binary, text, binary,
				this.setup.counters.get(ClientCounters.BYTES_RECEIVED),
				this.setup.counters.get(ClientCounters.BYTES_SENT),
				this.setup.counters.get(ClientCounters.INBOUND_OVERFLOWS),
				this.setup.counters.get(ClientCounters.INBOUND_TOO_LARGE),
				this.setup.counters.get(ClientCounters.PROTOCOL_ERRORS), this.requests.correlator.size(),
				this.subscriptions.size(), (limiter != null) ? limiter.availableTokens() : -1,
				(limiter != null) ? limiter.queued() : 0, (limiter != null) ? limiter.rejected() : 0,
				this.setup.counters.get(ClientCounters.ROTATIONS), this.loop.status().lastRotationAt(),
				this.requests.latency(System.nanoTime()), this.heartbeat.latency());
	}

	@Override
	public HeartbeatHealth heartbeatHealth() {
		return this.heartbeat.health();
	}

	@Override
	public @Nullable Instant authenticatedUntil() {
		Session session = this.loop.current();
		return (session != null) ? session.authenticatedUntil : null;
	}

	@Override
	public Flux<Instant> authentications() {
		return this.setup.authentications();
	}

	@Override
	public String toString() {
		return "WebsockexClient[" + this.name + ", " + this.config.maskedUrl() + ", " + this.loop.status().state()
				+ "]";
	}

}
