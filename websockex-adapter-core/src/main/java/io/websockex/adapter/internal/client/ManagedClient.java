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

	private final ClientCounters counters = new ClientCounters();

	private final JsonRpcCodec codec = SHARED_CODEC;

	private final RequestCorrelator correlator;

	private final InboundBroadcast broadcast;

	private final HeartbeatMonitor heartbeat;

	private final @Nullable RateLimiter rateLimiter;

	private final Subscriptions subscriptions;

	private final RequestSender requests;

	private final ConnectionLoop loop;

	private final SessionSetup setup;

	private final ConnectionStatus status;

	// Writes what the sessions record, off the event loop; closed with the client.
	private final @Nullable FrameRecorder recorder;

	/**
	 * Create a client; use {@link WebsockexClient#create(String, Config)}.
	 * @param name the client's name
	 * @param config the configuration
	 * @param httpClientCustomizer adjusts the Reactor Netty client
	 */
	public ManagedClient(String name, Config config, UnaryOperator<HttpClient> httpClientCustomizer) {
		this.name = name;
		this.config = config;
		Scheduler timer = Schedulers.parallel();
		this.correlator = new RequestCorrelator(name, config.requestTimeout(), timer);
		this.broadcast = new InboundBroadcast(name, config.inboundBuffer(), this.counters);
		this.heartbeat = new HeartbeatMonitor(name, config.heartbeat());
		this.rateLimiter = (config.rateLimit() != null) ? new RateLimiter(name, config.rateLimit()) : null;
		this.requests = new RequestSender(name, this.correlator, this.codec, this.rateLimiter);
		this.subscriptions = new Subscriptions(name, config, this.requests);
		Recording recording = config.recording();
		this.recorder = (recording != null)
				? new FrameRecorder(name, recording.path(), recording.maxFileSize(), recording.maxFiles()) : null;
		if (config.platform().supportsSubscriptions() || this.heartbeat.needsJson()) {
			// Frames will be parsed on the event loop: build the mapper here, on the
			// caller's thread, not at the first frame.
			this.codec.mapper();
		}
		InboundRouter router = new InboundRouter(name, this.codec, config.platform(), this.correlator, this.heartbeat,
				this.broadcast, this.counters, config.maxFrameSize(), config.pingRepliesPerSecond());
		SessionSetup setup = new SessionSetup(name, config, this.counters, this.requests, this.heartbeat,
				this.subscriptions, timer, this.recorder, router);
		this.setup = setup;
		Transport transport = new Transport(config, httpClientCustomizer, router, setup::newSession);
		this.loop = new ConnectionLoop(name, config, transport, setup, this.requests, () -> {
			this.broadcast.complete();
			setup.complete();
		}, timer, this.counters);
		this.status = this.loop.status();
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
		FrameRecorder recorder = this.recorder;
		return (recorder != null) ? this.loop.close().doFinally((signal) -> recorder.close()) : this.loop.close();
	}

	@Override
	public Mono<Void> reconnect() {
		return this.loop.reconnect();
	}

	@Override
	public Mono<Void> awaitConnected() {
		return this.status.awaitConnected();
	}

	@Override
	public Mono<Void> awaitFirstAttempt() {
		return this.status.awaitFirstAttempt();
	}

	// ---- sending ----

	@Override
	public Mono<Void> send(String text) {
		return Mono.defer(() -> {
			Session session = requireSession();
			if (this.rateLimiter == null) {
				return session.write(() -> Session.textFrame(text), "a send");
			}
			String method = MethodSniffer.method(this.codec.mapper(), text);
			return limited(method, () -> requireSession().write(() -> Session.textFrame(text), "a send"));
		});
	}

	@Override
	public Mono<Void> send(byte[] bytes) {
		return Mono.defer(() -> {
			Session session = requireSession();
			if (this.rateLimiter == null) {
				return session.write(() -> new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)), "a send");
			}
			return limited(null, () -> requireSession()
				.write(() -> new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)), "a send"));
		});
	}

	// The session is looked up again when the send leaves the queue: the one of the
	// call may have been replaced meanwhile (max-connection-age).
	private Mono<Void> limited(@Nullable String method, Supplier<Mono<Void>> write) {
		RateLimiter limiter = Objects.requireNonNull(this.rateLimiter);
		return limiter.limit(limiter.settings().cost().cost(method), Mono.defer(write));
	}

	private Session requireSession() {
		Session session = this.loop.current();
		ConnectionState now = this.status.state();
		if (session == null || now != ConnectionState.CONNECTED) {
			if (this.status.disconnectReason() == DisconnectReason.CLOSED_BY_USER
					&& now == ConnectionState.DISCONNECTED) {
				throw new ClientClosedException(this.name, "this send", !this.status.isClosed());
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

	@Override
	public Disposable observeRotations(Consumer<SessionRotation> observer) {
		return this.status.observeRotations(observer);
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
			Session session = this.loop.current();
			boolean live = session != null && this.status.state() == ConnectionState.CONNECTED;
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
		return this.status.state();
	}

	@Override
	public Flux<ConnectionState> states() {
		return this.status.states();
	}

	@Override
	public ClientMetrics metrics() {
		RateLimiter limiter = this.rateLimiter;
		long text = this.counters.get(ClientCounters.TEXT_SENT);
		long binary = this.counters.get(ClientCounters.BINARY_SENT);
		return new ClientMetrics(this.status.state(), this.status.connectedSince(),
				this.counters.get(ClientCounters.CONNECTION_ATTEMPTS),
				this.counters.get(ClientCounters.CONNECTION_SUCCESSES),
				this.counters.get(ClientCounters.CONNECTION_FAILURES), this.counters.get(ClientCounters.RECONNECTS),
				this.status.currentAttempt(), this.status.disconnectReason(), this.status.lastError(),
				this.status.lastErrorAt(), this.counters.get(ClientCounters.MESSAGES_RECEIVED), text + binary, text,
				binary, this.counters.get(ClientCounters.BYTES_RECEIVED), this.counters.get(ClientCounters.BYTES_SENT),
				this.counters.get(ClientCounters.INBOUND_OVERFLOWS),
				this.counters.get(ClientCounters.INBOUND_TOO_LARGE), this.counters.get(ClientCounters.PROTOCOL_ERRORS),
				this.correlator.size(), this.subscriptions.size(), (limiter != null) ? limiter.availableTokens() : -1,
				(limiter != null) ? limiter.queued() : 0, (limiter != null) ? limiter.rejected() : 0,
				this.counters.get(ClientCounters.ROTATIONS), this.status.lastRotationAt(),
				this.requests.latency.snapshot(System.nanoTime()), this.heartbeat.latency());
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
		return "WebsockexClient[" + this.name + ", " + this.config.maskedUrl() + ", " + this.status.state() + "]";
	}

}
