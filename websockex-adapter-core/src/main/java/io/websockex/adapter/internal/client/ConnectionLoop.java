package io.websockex.adapter.internal.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import io.netty.channel.ChannelOption;
import io.websockex.adapter.ClientClosedException;
import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionLostException;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.DisconnectReason;
import io.websockex.adapter.WebsockexException;
import io.websockex.adapter.internal.heartbeat.HeartbeatLink;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * The owner of one client's connection: opens at most one {@link Session} at a time and
 * runs the reconnect loop around it. Every transition runs on one {@link SerialExecutor},
 * so transitions happen in one place, in order, never concurrently; the fields marked
 * "owned" are touched only there. What a session carries (requests, subscriptions,
 * heartbeat) belongs to the client, reached through {@link Hooks}.
 */
final class ConnectionLoop {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionLoop.class);

	/**
	 * Base clients by connect timeout. An {@link HttpClient} is an immutable
	 * configuration, so clients that need nothing else share one instead of each keeping
	 * a copy. newConnection(): a WebSocket holds its connection for life, so a pool would
	 * make the 17th client to one host wait forever for a slot.
	 */
	private static final Map<Integer, HttpClient> SHARED_BASES = new ConcurrentHashMap<>();

	private static final long NOT_CONNECTED = Long.MIN_VALUE;

	private static final int NETTY_MAX_HEADER_SIZE = 8192;

	private static final VarHandle CLOSED;

	static {
		try {
			CLOSED = MethodHandles.lookup().findVarHandle(ConnectionLoop.class, "closed", Sinks.Empty.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final String name;

	private final Config config;

	private final HttpClient httpClient;

	private final WebsocketClientSpec websocketSpec;

	// Owned; made on the first retry, so that a client that never loses its connection
	// does not keep one.
	private @Nullable BackoffPolicy backoff;

	private final Scheduler timer = Schedulers.parallel();

	private final SerialExecutor serial = new SerialExecutor();

	private final ClientCounters counters;

	private final InboundRouter router;

	private final Hooks hooks;

	// Emitted only from the serial executor: one emitter at a time, so the unserialized
	// (smaller) sinks are safe. Made on the first states() subscription, on the serial
	// executor, and seeded there with the state of the moment: most clients never have
	// one, and a replaying sink keeps its latest value in nodes of its own.
	private volatile Sinks.@Nullable Many<ConnectionState> states;

	// Made by the first close(), through CLOSED: most clients live as long as the JVM.
	private volatile Sinks.@Nullable Empty<Void> closed;

	// Owned: awaitConnected() callers until the state settles them; null while none
	// waits.
	private @Nullable List<MonoSink<Void>> connectWaiters;

	private final List<String> secrets;

	// Owned by the serial executor.
	private Phase phase = Phase.NEW;

	private boolean closeForGood;

	private @Nullable List<Sinks.Empty<Void>> stopWaiters;

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

	// Epoch nanos, or NOT_CONNECTED: a long in place of an Instant kept for the whole
	// session.
	private volatile long connectedSince = NOT_CONNECTED;

	private volatile int currentAttempt;

	private volatile boolean closedForGood;

	ConnectionLoop(String name, Config config, UnaryOperator<HttpClient> httpClientCustomizer, ClientCounters counters,
			InboundRouter router, Hooks hooks) {
		this.name = name;
		this.config = config;
		this.counters = counters;
		this.router = router;
		this.hooks = hooks;
		this.secrets = secretsOf(config);
		this.httpClient = httpClientCustomizer.apply(baseHttpClient(config));
		this.websocketSpec = websocketSpec(config);
	}

	private static HttpClient baseHttpClient(Config config) {
		int connectTimeout = (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis());
		HttpClient base = SHARED_BASES.computeIfAbsent(connectTimeout,
				(millis) -> HttpClient.newConnection().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, millis));
		// Each configuration step copies the client's config: skip the ones with nothing
		// to do
		// (idle heap per connection counts).
		// 8192 is Netty's own bound, and Config's default: only another value costs a
		// copy.
		if (config.maxHandshakeHeaderSize() != NETTY_MAX_HEADER_SIZE) {
			base = base.httpResponseDecoder((spec) -> spec.maxHeaderSize(config.maxHandshakeHeaderSize()));
		}
		return config.headers().isEmpty() ? base : base.headers((headers) -> config.headers().forEach(headers::set));
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

	/** Run a task as part of this connection's transitions. */
	void execute(Runnable task) {
		this.serial.execute(task);
	}

	@Nullable Session current() {
		return this.current;
	}

	ConnectionState state() {
		return this.state;
	}

	Flux<ConnectionState> states() {
		return Flux.defer(() -> {
			Sinks.Many<ConnectionState> sink = this.states;
			if (sink == null) {
				// Runs here and now unless another thread is running a transition.
				this.serial.execute(this::statesSink);
				sink = this.states;
			}
			if (sink != null) {
				return sink.asFlux();
			}
			// Another thread runs transitions: the task above makes the sink before this
			// one runs.
			return Mono
				.<Flux<ConnectionState>>create(
						(created) -> this.serial.execute(() -> created.success(statesSink().asFlux())))
				.flatMapMany(Function.identity());
		});
	}

	// Owned.
	private Sinks.Many<ConnectionState> statesSink() {
		Sinks.Many<ConnectionState> sink = this.states;
		if (sink == null) {
			sink = Sinks.unsafe().many().replay().latest();
			sink.tryEmitNext(this.state);
			if (this.phase == Phase.CLOSED) {
				sink.tryEmitComplete();
			}
			this.states = sink;
		}
		return sink;
	}

	DisconnectReason disconnectReason() {
		return this.disconnectReason;
	}

	@Nullable String lastError() {
		return this.lastError;
	}

	@Nullable Instant lastErrorAt() {
		return this.lastErrorAt;
	}

	@Nullable Instant connectedSince() {
		long since = this.connectedSince;
		return (since != NOT_CONNECTED) ? Instant.ofEpochSecond(0, since) : null;
	}

	int currentAttempt() {
		return this.currentAttempt;
	}

	void start() {
		this.serial.execute(() -> {
			if (this.phase != Phase.NEW && this.phase != Phase.STOPPED) {
				return;
			}
			this.phase = Phase.RUNNING;
			this.retriesUsed = 0;
			logger.info("websockex client '{}' starting: {}", this.name, this.config.maskedUrl());
			beginAttempt();
		});
	}

	private void beginAttempt() {
		long gen = ++this.generation;
		setState(ConnectionState.CONNECTING);
		this.counters.increment(ClientCounters.CONNECTION_ATTEMPTS);
		Attempt callbacks = new Attempt(gen);
		this.attempt = this.httpClient.websocket(this.websocketSpec)
			.uri(this.config.url())
			.handle(callbacks)
			.subscribe(null, callbacks, callbacks);
		this.connectTimer = this.timer.schedule(() -> this.serial.execute(() -> onConnectTimeout(gen)),
				this.config.connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
	}

	// Runs on the event loop once the upgrade succeeded.
	private Publisher<Void> onUpgraded(long gen, WebsocketInbound in, WebsocketOutbound out) {
		Connection[] connection = new Connection[1];
		in.withConnection((c) -> connection[0] = c);
		Session session = new Session(gen, connection[0], out, this.name, this.config.outboundBuffer(), this.counters);
		session.link = this.hooks.linkFor(session);
		connection[0].addHandlerLast(FrameHandler.NAME, new FrameHandler(this.router, session));
		InboundGuards.install(connection[0].channel().pipeline(), FrameHandler.NAME, this.config);
		this.serial.execute(() -> onConnected(session));
		// Data frames never reach the reactive bridge (FrameHandler takes them), but the
		// bridge needs a subscriber with demand: without one it stops reading the socket.
		// receiveObject(), not receiveFrames(): the latter's type filter and cast are two
		// more subscribers kept per connection, and what arrives here is dropped anyway
		// (the bridge releases each message after handing it on).
		return in.receiveObject().then();
	}

	private void onConnected(Session session) {
		if (session.generation != this.generation || this.phase != Phase.RUNNING) {
			session.abort();
			return;
		}
		cancel(this.connectTimer);
		this.connectTimer = null;
		this.current = session;
		this.retriesUsed = 0;
		this.currentAttempt = 0;
		this.counters.increment(ClientCounters.CONNECTION_SUCCESSES);
		Instant now = Instant.now();
		this.connectedSince = now.getEpochSecond() * 1_000_000_000L + now.getNano();
		if (this.everConnected) {
			this.counters.increment(ClientCounters.RECONNECTS);
		}
		this.everConnected = true;
		setState(ConnectionState.CONNECTED);
		logger.info("websockex client '{}' connected to {}", this.name, this.config.maskedUrl());
		this.hooks.onOpened(session);
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
		this.counters.increment(ClientCounters.CONNECTION_FAILURES);
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
		this.connectedSince = NOT_CONNECTED;
		this.hooks.onEnded(session);
		if (this.phase == Phase.CLOSING) {
			finishClose();
			return;
		}
		this.hooks.failInFlight((what) -> new ConnectionLostException(this.name, what, session.error));
		if (session.reconnectRequested && session.fatalReason == null) {
			// Asked for (operator or API): not an error, and not subject to
			// reconnect-on-error.
			logger.info("websockex client '{}' reconnecting on request", this.name);
			beginAttempt();
			return;
		}
		String reason = recordError(session.endReason(this::describe));
		if (session.fatalReason != null) {
			logger.error("websockex client '{}' disconnected: {}; not reconnecting", this.name, reason);
			disconnected(DisconnectReason.FATAL_ERROR);
		}
		else if (!this.config.reconnectOnError()) {
			logger.warn("websockex client '{}' lost its connection: {}; reconnect-on-error is false", this.name,
					reason);
			disconnected(DisconnectReason.CONNECTION_LOST);
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
		BackoffPolicy backoff = this.backoff;
		if (backoff == null) {
			backoff = new BackoffPolicy(this.config.retryDelay(), this.config.maxBackoff(), this.config.backoffJitter(),
					() -> ThreadLocalRandom.current().nextDouble());
			this.backoff = backoff;
		}
		Duration delay = backoff.delay(this.retriesUsed);
		this.retriesUsed++;
		this.currentAttempt = this.retriesUsed;
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
		this.hooks.failInFlight((what) -> new WebsockexException("websockex client '" + this.name
				+ "' is disconnected (" + reason + ": " + this.lastError + "); " + what + " was not completed"));
		setState(ConnectionState.DISCONNECTED);
	}

	/**
	 * Close for good: the streams complete and the loop never starts again.
	 */
	Mono<Void> close() {
		Sinks.Empty<Void> closed = this.closed;
		if (closed == null) {
			// Set before the task below is queued, so that finishClose() (on the serial
			// executor, after it) finds it: that is its one emitter.
			Sinks.Empty<Void> created = Sinks.unsafe().empty();
			@SuppressWarnings("unchecked")
			Sinks.Empty<Void> witness = (Sinks.Empty<Void>) CLOSED.compareAndExchange(this, null, created);
			closed = (witness != null) ? witness : created;
		}
		this.serial.execute(() -> shutDown(true));
		return closed.asMono();
	}

	/**
	 * Disconnect like {@link #close()} but keep the streams open, so {@link #start()} can
	 * connect again (a Spring context stopped and started).
	 */
	Mono<Void> disconnect() {
		Sinks.Empty<Void> stopped = Sinks.empty();
		this.serial.execute(() -> {
			if (this.phase == Phase.NEW || this.phase == Phase.STOPPED || this.phase == Phase.CLOSED) {
				stopped.tryEmitEmpty();
				return;
			}
			if (this.stopWaiters == null) {
				this.stopWaiters = new ArrayList<>(1);
			}
			this.stopWaiters.add(stopped);
			shutDown(false);
		});
		return stopped.asMono();
	}

	private void shutDown(boolean forGood) {
		if (this.phase == Phase.CLOSED) {
			return;
		}
		this.closeForGood |= forGood;
		if (this.phase == Phase.CLOSING) {
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
			logger.info("websockex client '{}' {}", this.name, forGood ? "closing" : "disconnecting");
		}
		long gen = session.generation;
		session.outbound.sendClose(1000, forGood ? "client closed" : "client disconnected")
			.subscribe(null, (error) -> session.abort());
		this.timer.schedule(() -> this.serial.execute(() -> {
			if (this.phase == Phase.CLOSING && this.generation == gen) {
				logger.warn("websockex client '{}': no close handshake within {} (shutdown-timeout); dropping the "
						+ "connection", this.name, this.config.shutdownTimeout());
				session.abort();
			}
		}), this.config.shutdownTimeout().toNanos(), TimeUnit.NANOSECONDS);
	}

	private void finishClose() {
		if (this.phase != Phase.CLOSING) {
			return;
		}
		boolean forGood = this.closeForGood;
		this.current = null;
		this.connectedSince = NOT_CONNECTED;
		this.attempt = null;
		this.hooks.onEnded(null);
		// A new generation: anything still in flight from the old session is ignored.
		this.generation++;
		this.phase = forGood ? Phase.CLOSED : Phase.STOPPED;
		this.closedForGood = forGood;
		this.disconnectReason = DisconnectReason.CLOSED_BY_USER;
		this.hooks.failInFlight((what) -> new ClientClosedException(this.name, what, !forGood));
		setState(ConnectionState.DISCONNECTED);
		logger.info("websockex client '{}' {}", this.name,
				forGood ? "closed" : "disconnected; start() connects it again");
		if (this.stopWaiters != null) {
			this.stopWaiters.forEach(Sinks.Empty::tryEmitEmpty);
			this.stopWaiters = null;
		}
		if (forGood) {
			this.hooks.onClosed();
			Sinks.Many<ConnectionState> states = this.states;
			if (states != null) {
				states.tryEmitComplete();
			}
			List<MonoSink<Void>> waiters = this.connectWaiters;
			if (waiters != null) {
				// Closed before the state settled them.
				this.connectWaiters = null;
				waiters
					.forEach((waiter) -> waiter.error(new ClientClosedException(this.name, "waiting for CONNECTED")));
			}
			Sinks.Empty<Void> closed = this.closed;
			if (closed != null) {
				closed.tryEmitEmpty();
			}
		}
	}

	/**
	 * Whether {@link #close()} ended the client for good.
	 * @return {@code true} once closed
	 */
	boolean isClosed() {
		return this.closedForGood;
	}

	Mono<Void> reconnect() {
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

	private void setState(ConnectionState next) {
		if (this.state != next) {
			this.state = next;
			Sinks.Many<ConnectionState> states = this.states;
			if (states != null) {
				states.tryEmitNext(next);
			}
			List<MonoSink<Void>> waiters = this.connectWaiters;
			if (waiters != null && settles(next)) {
				this.connectWaiters = null;
				waiters.forEach(this::settle);
			}
		}
	}

	private String recordError(Throwable error) {
		return recordError(describe(error));
	}

	String recordError(String reason) {
		this.lastError = reason;
		this.lastErrorAt = Instant.now();
		return reason;
	}

	String describe(Throwable error) {
		return FailureClassifier.describe(error, this.secrets);
	}

	private static void cancel(@Nullable Disposable disposable) {
		if (disposable != null) {
			disposable.dispose();
		}
	}

	Mono<Void> awaitConnected() {
		// Waiters live only until the state settles them, rather than as subscribers of
		// states(), so that an idle client keeps no stream for them.
		return Mono.create((waiter) -> this.serial.execute(() -> {
			if (settles(this.state)) {
				settle(waiter);
				return;
			}
			if (this.phase == Phase.CLOSED) {
				waiter.error(new ClientClosedException(this.name, "waiting for CONNECTED"));
				return;
			}
			List<MonoSink<Void>> waiters = this.connectWaiters;
			if (waiters == null) {
				waiters = new ArrayList<>(2);
				this.connectWaiters = waiters;
			}
			waiters.add(waiter);
			waiter.onCancel(() -> this.serial.execute(() -> {
				List<MonoSink<Void>> current = this.connectWaiters;
				if (current != null && current.remove(waiter) && current.isEmpty()) {
					this.connectWaiters = null;
				}
			}));
		}));
	}

	// Owned. CONNECTED, or DISCONNECTED for a reason (not merely not started yet, nor
	// stopped to be started again).
	private boolean settles(ConnectionState state) {
		return state == ConnectionState.CONNECTED || (state == ConnectionState.DISCONNECTED && !isIdle());
	}

	// Owned; only once settles(state) holds.
	private void settle(MonoSink<Void> waiter) {
		if (this.state == ConnectionState.CONNECTED) {
			waiter.success();
		}
		else {
			waiter.error(new WebsockexException("websockex client '" + this.name + "' did not connect ("
					+ this.disconnectReason + "): " + this.lastError));
		}
	}

	/**
	 * The callbacks of one connection attempt in one object: the reactive chain keeps
	 * them for as long as the connection lives, and three lambdas would each capture the
	 * loop and the generation.
	 */
	private final class Attempt
			implements BiFunction<WebsocketInbound, WebsocketOutbound, Publisher<Void>>, Consumer<Throwable>, Runnable {

		private final long gen;

		Attempt(long gen) {
			this.gen = gen;
		}

		// The upgrade succeeded (on the event loop).
		@Override
		public Publisher<Void> apply(WebsocketInbound in, WebsocketOutbound out) {
			return onUpgraded(this.gen, in, out);
		}

		// The attempt or its session failed.
		@Override
		public void accept(Throwable error) {
			ConnectionLoop.this.serial.execute(() -> onAttemptEnded(this.gen, error));
		}

		// The attempt or its session completed.
		@Override
		public void run() {
			ConnectionLoop.this.serial.execute(() -> onAttemptEnded(this.gen, null));
		}

	}

	// Not started yet, or stopped to be started again: waiting for CONNECTED goes on.
	private boolean isIdle() {
		DisconnectReason reason = this.disconnectReason;
		return reason == DisconnectReason.NOT_STARTED
				|| (reason == DisconnectReason.CLOSED_BY_USER && !this.closedForGood);
	}

	private enum Phase {

		NEW, RUNNING, STOPPED, CLOSING, CLOSED

	}

	/**
	 * What the client does at the edges of a session.
	 */
	interface Hooks {

		/** The heartbeat's view of a new session. */
		HeartbeatLink linkFor(Session session);

		/** The session is CONNECTED: authenticate, start the heartbeat, restore. */
		void onOpened(Session session);

		/** The session ended (or {@code null}: the client closed): stop its heartbeat. */
		void onEnded(@Nullable Session session);

		/** Fail every request and queued send with the given error. */
		void failInFlight(Function<String, Throwable> error);

		/** The client is closed for good: complete the streams. */
		void onClosed();

	}

}
