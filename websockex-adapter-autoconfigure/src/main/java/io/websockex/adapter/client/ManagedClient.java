package io.websockex.adapter.client;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import io.netty.channel.ChannelOption;
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
import io.websockex.adapter.NotConnectedException;
import io.websockex.adapter.RequestOutcome;
import io.websockex.adapter.RequestTimeoutException;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.WebsockexException;
import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.heartbeat.HeartbeatLink;
import io.websockex.adapter.heartbeat.HeartbeatMonitor;
import io.websockex.adapter.jsonrpc.JsonRpcCodec;
import io.websockex.adapter.jsonrpc.RequestCorrelator;
import io.websockex.adapter.platform.Platform;
import io.websockex.adapter.ratelimit.RateLimiter;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
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

	private final String name;

	private final Config config;

	private final HttpClient httpClient;

	private final WebsocketClientSpec websocketSpec;

	private final BackoffPolicy backoff;

	private final Scheduler timer = Schedulers.parallel();

	private final SerialExecutor serial = new SerialExecutor();

	private final ClientCounters counters = new ClientCounters();

	private final JsonRpcCodec codec = new JsonRpcCodec(JsonMapper.shared());

	private final RequestCorrelator correlator = new RequestCorrelator();

	private final InboundBroadcast broadcast;

	private final InboundRouter router;

	private final HeartbeatMonitor heartbeat;

	private final @Nullable RateLimiter rateLimiter;

	private final Set<String> tracked = new CopyOnWriteArraySet<>();

	private final List<Consumer<RequestOutcome>> requestObservers = new CopyOnWriteArrayList<>();

	private final Sinks.Many<ConnectionState> states = Sinks.many().replay().latest();

	private final Sinks.Empty<Void> closed = Sinks.empty();

	private final List<String> secrets;

	// Owned by the serial executor.
	private Phase phase = Phase.NEW;

	private long generation;

	private int retriesUsed;

	private boolean everConnected;

	private @Nullable Disposable attempt;

	private @Nullable Disposable connectTimer;

	private @Nullable Disposable backoffTimer;

	// Published for readers on any thread.
	private volatile @Nullable Session current;

	private volatile ConnectionState state = ConnectionState.DISCONNECTED;

	private volatile DisconnectReason disconnectReason = DisconnectReason.NOT_STARTED;

	private volatile @Nullable String lastError;

	private volatile @Nullable Instant lastErrorAt;

	private volatile @Nullable Instant connectedSince;

	/**
	 * Create a client; use {@link WebsockexClient#create(String, Config)}.
	 * @param name the client's name
	 * @param config the configuration
	 * @param httpClientCustomizer adjusts the Reactor Netty client
	 */
	public ManagedClient(String name, Config config, UnaryOperator<HttpClient> httpClientCustomizer) {
		this.name = name;
		this.config = config;
		this.secrets = secretsOf(config);
		this.httpClient = httpClientCustomizer.apply(baseHttpClient(config));
		this.websocketSpec = websocketSpec(config);
		this.backoff = new BackoffPolicy(config.retryDelay(), config.maxBackoff(), config.backoffJitter(),
				() -> ThreadLocalRandom.current().nextDouble());
		this.broadcast = new InboundBroadcast(name, config.inboundBuffer(), this.counters);
		this.heartbeat = new HeartbeatMonitor(name, config.heartbeat());
		this.rateLimiter = (config.rateLimit() != null) ? new RateLimiter(name, config.rateLimit()) : null;
		this.router = new InboundRouter(name, this.codec.mapper(), config.platform(), this.correlator, this.heartbeat,
				this.broadcast, this.counters);
		this.tracked.addAll(config.subscriptions());
		this.states.tryEmitNext(ConnectionState.DISCONNECTED);
	}

	private static HttpClient baseHttpClient(Config config) {
		// newConnection(): a WebSocket holds its connection for life, so a pool would
		// make
		// the 17th client to one host wait forever for a slot.
		return HttpClient.newConnection()
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
					(int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
			.headers((headers) -> config.headers().forEach(headers::set));
	}

	private static WebsocketClientSpec websocketSpec(Config config) {
		WebsocketClientSpec.Builder spec = WebsocketClientSpec.builder()
			.maxFramePayloadLength(config.maxFrameSize())
			.compress(config.compression());
		if (!config.subprotocols().isEmpty()) {
			spec.protocols(String.join(",", config.subprotocols()));
		}
		return spec.build();
	}

	private static List<String> secretsOf(Config config) {
		List<String> secrets = new ArrayList<>(config.headers().values());
		if (config.url().getRawUserInfo() != null) {
			secrets.add(config.url().getRawUserInfo());
		}
		if (config.url().getRawQuery() != null) {
			secrets.add(config.url().getRawQuery());
		}
		if (config.auth() != null) {
			secrets.add(config.auth().clientSecret());
		}
		return List.copyOf(secrets);
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public Config config() {
		return this.config;
	}

	// ---- lifecycle and transitions (serial executor) ----

	@Override
	public void start() {
		this.serial.execute(() -> {
			if (this.phase != Phase.NEW) {
				return;
			}
			this.phase = Phase.RUNNING;
			logger.info("websockex client '{}' starting: {}", this.name, this.config.maskedUrl());
			beginAttempt();
		});
	}

	private void beginAttempt() {
		long gen = ++this.generation;
		setState(ConnectionState.CONNECTING);
		this.counters.connectionAttempts.increment();
		this.attempt = this.httpClient.websocket(this.websocketSpec)
			.uri(this.config.url())
			.handle((in, out) -> onUpgraded(gen, in, out))
			.subscribe(null, (error) -> this.serial.execute(() -> onAttemptEnded(gen, error)),
					() -> this.serial.execute(() -> onAttemptEnded(gen, null)));
		this.connectTimer = this.timer.schedule(() -> this.serial.execute(() -> onConnectTimeout(gen)),
				this.config.connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
	}

	// Runs on the event loop once the upgrade succeeded.
	private Publisher<Void> onUpgraded(long gen, WebsocketInbound in, WebsocketOutbound out) {
		Connection[] connection = new Connection[1];
		in.withConnection((c) -> connection[0] = c);
		in.aggregateFrames(this.config.maxFrameSize());
		Session session = new Session(gen, connection[0], out, this.name, this.config.outboundBuffer(), this.counters);
		session.link = new SessionLink(session);
		connection[0].addHandlerLast(FrameHandler.NAME, new FrameHandler(this.router, session));
		in.receiveCloseStatus().subscribe((status) -> session.closeStatus = status, (error) -> {
		});
		this.serial.execute(() -> onConnected(session));
		// Data frames never reach the reactive bridge (FrameHandler takes them), but the
		// bridge
		// needs a subscriber with demand: without one it stops reading from the socket.
		return in.receiveFrames().then();
	}

	private void onConnected(Session session) {
		if (session.generation != this.generation || this.phase != Phase.RUNNING) {
			session.abort();
			return;
		}
		cancel(this.connectTimer);
		this.current = session;
		this.retriesUsed = 0;
		this.counters.connectionSuccesses.increment();
		this.connectedSince = Instant.now();
		if (this.everConnected) {
			this.counters.reconnects.increment();
		}
		this.everConnected = true;
		setState(ConnectionState.CONNECTED);
		logger.info("websockex client '{}' connected to {}", this.name, this.config.maskedUrl());
		afterConnect(session);
	}

	private void onAttemptEnded(long gen, @Nullable Throwable error) {
		if (gen != this.generation) {
			return;
		}
		Session session = this.current;
		if (session != null && session.generation == gen) {
			onSessionEnded(session, error);
		}
		else if (this.phase == Phase.RUNNING) {
			cancel(this.connectTimer);
			onConnectFailed((error != null) ? error : new WebsockexException("connection closed during the upgrade"));
		}
		else if (this.phase == Phase.CLOSING) {
			finishClose();
		}
	}

	private void onConnectTimeout(long gen) {
		if (gen != this.generation || this.current != null || this.phase != Phase.RUNNING) {
			return;
		}
		this.generation++;
		cancel(this.attempt);
		onConnectFailed(new TimeoutException("connect, TLS and upgrade did not finish within "
				+ this.config.connectTimeout() + " (connect-timeout)"));
	}

	private void onConnectFailed(Throwable error) {
		this.counters.connectionFailures.increment();
		String reason = recordError(error);
		if (FailureClassifier.isFatal(error)) {
			logger.error("websockex client '{}' cannot connect to {}: {}; not retrying, fix the configuration",
					this.name, this.config.maskedUrl(), reason);
			disconnected(DisconnectReason.FATAL_ERROR);
			return;
		}
		logger.warn("websockex client '{}' failed to connect to {}: {}", this.name, this.config.maskedUrl(), reason);
		scheduleRetry();
	}

	private void onSessionEnded(Session session, @Nullable Throwable error) {
		if (error != null && session.error == null) {
			session.error = error;
		}
		this.current = null;
		this.connectedSince = null;
		this.heartbeat.onDisconnected();
		String reason = session.endReason(this::describe);
		if (this.phase == Phase.CLOSING) {
			finishClose();
			return;
		}
		recordError(reason);
		failInFlight((what) -> new ConnectionLostException(this.name, what, session.error));
		if (!this.config.restoreSubscriptions()) {
			this.tracked.retainAll(this.config.subscriptions());
		}
		if (session.fatalReason != null) {
			logger.error("websockex client '{}' disconnected: {}; not reconnecting", this.name, reason);
			disconnected(DisconnectReason.FATAL_ERROR);
		}
		else if (!this.config.reconnectOnError()) {
			logger.warn("websockex client '{}' lost its connection: {}; reconnect-on-error is false", this.name,
					reason);
			disconnected(DisconnectReason.CONNECTION_LOST);
		}
		else if (session.reconnectRequested) {
			logger.info("websockex client '{}' reconnecting on request", this.name);
			beginAttempt();
		}
		else {
			logger.warn("websockex client '{}' lost its connection: {}; reconnecting", this.name, reason);
			setState(ConnectionState.CONNECTING);
			scheduleRetry();
		}
	}

	private void scheduleRetry() {
		if (this.retriesUsed >= this.config.retryCount()) {
			logger.error("websockex client '{}' gave up after {} failed reconnect attempts in a row; last error: {}",
					this.name, this.retriesUsed, this.lastError);
			disconnected(DisconnectReason.GAVE_UP);
			return;
		}
		Duration delay = this.backoff.delay(this.retriesUsed);
		this.retriesUsed++;
		long gen = this.generation;
		setState(ConnectionState.CONNECTING);
		logger.debug("websockex client '{}' retrying in {} (attempt {})", this.name, delay, this.retriesUsed);
		this.backoffTimer = this.timer.schedule(() -> this.serial.execute(() -> {
			if (this.phase == Phase.RUNNING && gen == this.generation && this.current == null) {
				beginAttempt();
			}
		}), delay.toNanos(), TimeUnit.NANOSECONDS);
	}

	private void disconnected(DisconnectReason reason) {
		this.phase = (reason == DisconnectReason.CLOSED_BY_USER) ? Phase.CLOSED : Phase.STOPPED;
		this.disconnectReason = reason;
		failInFlight((what) -> new WebsockexException("websockex client '" + this.name + "' is disconnected (" + reason
				+ ": " + this.lastError + "); " + what + " was not completed"));
		setState(ConnectionState.DISCONNECTED);
	}

	@Override
	public Mono<Void> close() {
		this.serial.execute(() -> {
			if (this.phase == Phase.CLOSING || this.phase == Phase.CLOSED) {
				return;
			}
			boolean wasNew = this.phase == Phase.NEW;
			this.phase = Phase.CLOSING;
			cancel(this.backoffTimer);
			cancel(this.connectTimer);
			Session session = this.current;
			if (session == null) {
				cancel(this.attempt);
				finishClose();
				return;
			}
			if (!wasNew) {
				logger.info("websockex client '{}' closing", this.name);
			}
			long gen = session.generation;
			session.outbound.sendClose(1000, "client closed").subscribe(null, (error) -> session.abort());
			this.timer.schedule(() -> this.serial.execute(() -> {
				if (this.phase == Phase.CLOSING && this.generation == gen) {
					logger.warn("websockex client '{}': no close handshake within {} (shutdown-timeout); dropping the "
							+ "connection", this.name, this.config.shutdownTimeout());
					session.abort();
				}
			}), this.config.shutdownTimeout().toNanos(), TimeUnit.NANOSECONDS);
		});
		return this.closed.asMono();
	}

	private void finishClose() {
		if (this.phase == Phase.CLOSED) {
			return;
		}
		this.current = null;
		this.connectedSince = null;
		this.heartbeat.onDisconnected();
		this.phase = Phase.CLOSED;
		this.disconnectReason = DisconnectReason.CLOSED_BY_USER;
		failInFlight((what) -> new ClientClosedException(this.name, what));
		setState(ConnectionState.DISCONNECTED);
		logger.info("websockex client '{}' closed", this.name);
		this.broadcast.complete();
		this.states.tryEmitComplete();
		this.closed.tryEmitEmpty();
	}

	@Override
	public Mono<Void> reconnect() {
		return Mono.fromRunnable(() -> this.serial.execute(() -> {
			Session session = this.current;
			if (session != null) {
				session.reconnectRequested = true;
				session.outbound.sendClose(1000, "reconnect requested").subscribe(null, (error) -> session.abort());
			}
			else if (this.phase == Phase.RUNNING && this.state == ConnectionState.CONNECTING
					&& this.backoffTimer != null && !this.backoffTimer.isDisposed()) {
				cancel(this.backoffTimer);
				beginAttempt();
			}
			else if (this.phase == Phase.STOPPED) {
				this.phase = Phase.RUNNING;
				this.retriesUsed = 0;
				beginAttempt();
			}
		}));
	}

	private void failInFlight(java.util.function.Function<String, Throwable> error) {
		this.correlator.failAll((method) -> error.apply("request '" + method + "'"));
		if (this.rateLimiter != null) {
			this.rateLimiter.failQueued(() -> error.apply("a send waiting for rate-limit tokens"));
		}
	}

	private void setState(ConnectionState next) {
		if (this.state != next) {
			this.state = next;
			this.states.tryEmitNext(next);
		}
	}

	private String recordError(Throwable error) {
		return recordError(describe(error));
	}

	private String recordError(String reason) {
		this.lastError = reason;
		this.lastErrorAt = Instant.now();
		return reason;
	}

	private String describe(Throwable error) {
		return FailureClassifier.describe(error, this.secrets);
	}

	private static void cancel(@Nullable Disposable disposable) {
		if (disposable != null) {
			disposable.dispose();
		}
	}

	// ---- after connect: auth, heartbeat, subscriptions ----

	private void afterConnect(Session session) {
		// The session may have ended while auth was in flight: never arm a timer for it.
		authenticate(session)
			.then(Mono.defer(() -> (session == this.current && session.isOpen())
					? this.heartbeat.onConnected(session.link) : Mono.empty()))
			.then(Mono.defer(() -> restoreSubscriptions(session)))
			.doFinally((signal) -> session.ready.tryEmitEmpty())
			.subscribe(null, (error) -> this.serial.execute(() -> onSetupFailed(session, error)));
	}

	private Mono<Void> authenticate(Session session) {
		if (this.config.auth() == null) {
			return Mono.empty();
		}
		Platform.Call call = this.config.platform().auth(this.config.auth());
		if (call == null) {
			return Mono.empty();
		}
		return call(session, call.method(), call.params(), false).doOnNext((result) -> {
			session.authenticated = true;
			logger.info("websockex client '{}' authenticated", this.name);
		}).onErrorMap(io.websockex.adapter.JsonRpcErrorException.class, (ex) -> {
			session.fatalReason = "authentication rejected by the server: error " + ex.code() + " (" + ex.errorMessage()
					+ "); check auth.client-id and auth.client-secret";
			return new AuthenticationRejected(ex);
		}).then();
	}

	private Mono<Void> restoreSubscriptions(Session session) {
		Set<String> channels = new LinkedHashSet<>(this.config.subscriptions());
		channels.addAll(this.tracked);
		session.restored = Set.copyOf(channels);
		if (channels.isEmpty() || !this.config.platform().supportsSubscriptions()) {
			return Mono.empty();
		}
		Platform.Call call = this.config.platform().subscribe(channels, session.authenticated);
		return call(session, call.method(), call.params(), true).doOnNext((result) -> {
			this.tracked.addAll(channels);
			logger.info("websockex client '{}' subscribed to {} channel(s)", this.name, channels.size());
		}).then();
	}

	private void onSetupFailed(Session session, Throwable error) {
		if (session != this.current) {
			return;
		}
		if (session.fatalReason != null) {
			recordError(session.fatalReason);
			logger.error("websockex client '{}': {}", this.name, session.fatalReason);
			session.outbound.sendClose(1000, "authentication failed").subscribe(null, (ex) -> session.abort());
			return;
		}
		if (error instanceof ConnectionLostException || error instanceof ClientClosedException) {
			return;
		}
		String reason = recordError("setup after connect failed: " + describe(error));
		logger.warn("websockex client '{}': {}", this.name, reason);
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
		Session session = this.current;
		ConnectionState now = this.state;
		if (session == null || now != ConnectionState.CONNECTED) {
			if (this.disconnectReason == DisconnectReason.CLOSED_BY_USER && now == ConnectionState.DISCONNECTED) {
				throw new ClientClosedException(this.name, "this send");
			}
			throw new NotConnectedException(this.name, now);
		}
		return session;
	}

	@Override
	public Mono<JsonNode> request(String method, Object params) {
		return Mono.defer(() -> call(requireSession(), method, params, true));
	}

	@Override
	public Disposable observeRequests(Consumer<RequestOutcome> observer) {
		this.requestObservers.add(observer);
		return () -> this.requestObservers.remove(observer);
	}

	private <T> Mono<T> observed(String method, Mono<T> request) {
		if (this.requestObservers.isEmpty()) {
			return request;
		}
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return request.doOnSuccess((value) -> notifyObservers(method, RequestOutcome.Outcome.SUCCESS, start))
				.doOnError((error) -> notifyObservers(method, RequestOutcome.Outcome.ofError(error), start))
				.doOnCancel(() -> notifyObservers(method, RequestOutcome.Outcome.CANCELLED, start));
		});
	}

	private void notifyObservers(String method, RequestOutcome.Outcome outcome, long start) {
		RequestOutcome event = new RequestOutcome(method, outcome, Duration.ofNanos(System.nanoTime() - start));
		for (Consumer<RequestOutcome> observer : this.requestObservers) {
			try {
				observer.accept(event);
			}
			catch (RuntimeException ex) {
				logger.warn("websockex client '{}': a request observer failed", this.name, ex);
			}
		}
	}

	/**
	 * Make a JSON-RPC call on a session and return its result.
	 * @param limited whether the send waits for rate-limit tokens
	 */
	private Mono<JsonNode> call(Session session, String method, Object params, boolean limited) {
		return Mono.defer(() -> {
			long id = this.correlator.nextId();
			String text = this.codec.encodeRequest(id, method, params);
			Mono<Void> write = session.write(() -> new TextWebSocketFrame(text), "request '" + method + "'");
			return awaitResponse(id, method, limited ? limited(method, write) : write);
		})
			.map((response) -> JsonRpcCodec.result(this.name, method, response))
			.transform((mono) -> observed(method, mono));
	}

	private Mono<JsonNode> awaitResponse(Object id, String method, Mono<Void> write) {
		Duration timeout = this.config.requestTimeout();
		return this.correlator.exchange(id, method, write)
			.timeout(timeout,
					Mono.error(() -> new RequestTimeoutException(this.name, method, String.valueOf(id), timeout)));
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
			Session session = requireSession();
			JsonNode methodNode = message.get("method");
			String method = (methodNode != null) ? methodNode.asString("") : "";
			String text = message.toString();
			Mono<Void> write = limited(method.isEmpty() ? null : method,
					session.write(() -> new TextWebSocketFrame(text), "request '" + method + "'"));
			return observed(method, awaitResponse(key, method, write));
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
				this.tracked.addAll(list);
			}
			else {
				this.tracked.removeAll(list);
			}
			Session session = this.current;
			if (session == null || this.state != ConnectionState.CONNECTED) {
				// Tracked: sent with the restore on the next connect.
				return Mono.empty();
			}
			// Wait for the after-connect setup: its restore may already carry these
			// channels.
			return session.ready.asMono().then(Mono.defer(() -> {
				List<String> toSend = subscribe
						? list.stream().filter((channel) -> !session.restored.contains(channel)).toList() : list;
				if (toSend.isEmpty()) {
					return Mono.empty();
				}
				Platform.Call call = subscribe ? platform.subscribe(toSend, session.authenticated)
						: platform.unsubscribe(toSend, session.authenticated);
				Mono<Void> result = call(session, call.method(), call.params(), true).then();
				return subscribe ? result.doOnError((error) -> {
					if (error instanceof io.websockex.adapter.JsonRpcErrorException) {
						this.tracked.removeAll(toSend);
					}
				}) : result;
			}));
		});
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
		return this.state;
	}

	@Override
	public Flux<ConnectionState> states() {
		return this.states.asFlux();
	}

	@Override
	public Mono<Void> awaitConnected() {
		return this.states.asFlux()
			.filter((s) -> s == ConnectionState.CONNECTED
					|| (s == ConnectionState.DISCONNECTED && this.disconnectReason != DisconnectReason.NOT_STARTED))
			.next()
			.switchIfEmpty(Mono.error(() -> new ClientClosedException(this.name, "waiting for CONNECTED")))
			.flatMap((s) -> (s == ConnectionState.CONNECTED) ? Mono.empty()
					: Mono.error(new WebsockexException("websockex client '" + this.name + "' did not connect ("
							+ this.disconnectReason + "): " + this.lastError)));
	}

	@Override
	public ClientMetrics metrics() {
		RateLimiter limiter = this.rateLimiter;
		long text = this.counters.textSent.sum();
		long binary = this.counters.binarySent.sum();
		return new ClientMetrics(this.state, this.connectedSince, this.counters.connectionAttempts.sum(),
				this.counters.connectionSuccesses.sum(), this.counters.connectionFailures.sum(),
				this.counters.reconnects.sum(), this.retriesUsed, this.disconnectReason, this.lastError,
				this.lastErrorAt, this.counters.messagesReceived.sum(), text + binary, text, binary,
				this.counters.bytesReceived.sum(), this.counters.bytesSent.sum(), this.counters.inboundOverflows.sum(),
				this.correlator.size(), this.tracked.size(), (limiter != null) ? limiter.availableTokens() : -1,
				(limiter != null) ? limiter.queued() : 0, (limiter != null) ? limiter.rejected() : 0);
	}

	@Override
	public HeartbeatHealth heartbeatHealth() {
		return this.heartbeat.health();
	}

	@Override
	public String toString() {
		return "WebsockexClient[" + this.name + ", " + this.config.maskedUrl() + ", " + this.state + "]";
	}

	private enum Phase {

		NEW, RUNNING, STOPPED, CLOSING, CLOSED

	}

	/** The auth call was answered with an error: a session that must not be retried. */
	private static final class AuthenticationRejected extends WebsockexException {

		AuthenticationRejected(Throwable cause) {
			super(cause.getMessage(), cause);
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
