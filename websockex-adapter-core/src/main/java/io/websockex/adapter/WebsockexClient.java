package io.websockex.adapter;

import java.time.Instant;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import io.websockex.adapter.internal.client.GatedClient;
import io.websockex.adapter.internal.client.HttpClientCustomizers;
import io.websockex.adapter.internal.client.ManagedClient;
import io.websockex.adapter.internal.client.PooledClient;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A managed WebSocket client: one stable identity that owns at most one live session at a
 * time and reconnects with backoff when it is lost, restoring authentication and
 * subscriptions. Everything it returns is non-blocking; every {@link Mono} may also be
 * {@code block()}ed from a platform or virtual thread (never from a Netty event loop).
 * Its {@link Mono}s and streams signal on the client's own threads, often a Netty event
 * loop that other connections share (a {@code close()} completes where the connection's
 * close was seen): chain slow or blocking work after
 * {@code publishOn(Schedulers.boundedElastic())}, not straight onto them.
 *
 * <pre>{@code
 * WebsockexClient client = WebsockexClient.connect(Config.builder("wss://test.deribit.com/ws/api/v2").build())
 *         .block(Duration.ofSeconds(10));
 * client.messages().subscribe(message -> System.out.println(message));
 * JsonNode time = client.request("public/get_time", Map.of()).block();
 * client.subscribe("ticker.BTC-PERPETUAL.raw").block();
 * client.channel("ticker.BTC-PERPETUAL.raw").subscribe(tick -> System.out.println(tick.get("last_price")));
 * client.close().block();
 * }</pre>
 */
public interface WebsockexClient {

	/**
	 * Create a client named {@code default}, start it and wait until it is connected.
	 * @param config the configuration
	 * @return a {@link Mono} of the connected client; it fails if the client ends
	 * {@link ConnectionState#DISCONNECTED} first (fatal error or retries exhausted), and
	 * the client is closed if that happens or the caller cancels (e.g. a {@code block}
	 * timeout)
	 */
	static Mono<WebsockexClient> connect(Config config) {
		return Mono.defer(() -> {
			WebsockexClient client = create("default", config);
			client.start();
			// Nobody else holds this client: if the caller gives up or it never connects,
			// close it.
			return client.awaitConnected()
				.thenReturn(client)
				.doOnCancel(() -> client.close().subscribe())
				.onErrorResume((error) -> client.close().then(Mono.error(error)));
		});
	}

	/**
	 * Create a client without starting it.
	 * @param name the client's name, used in logs, errors, metrics and health
	 * @param config the configuration
	 * @return the client, {@link ConnectionState#DISCONNECTED} until {@link #start()}
	 */
	static WebsockexClient create(String name, Config config) {
		return create(name, config, HttpClientCustomizers.none());
	}

	/**
	 * Create a client without starting it, adjusting its Reactor Netty {@link HttpClient}
	 * (proxy, resolver, TLS, wiretap). Such a client connects through that
	 * {@link HttpClient}; a client made by {@link #create(String, Config)} opens a TCP
	 * connection on the same event loops and writes the upgrade itself, which keeps about
	 * half the heap per idle connection. When the URL's host is an IP literal, the client
	 * given to the customizer resolves nothing (there is nothing to resolve, and building
	 * a DNS resolver costs start-up time); a customizer that makes it connect to a host
	 * name some other way ({@code remoteAddress}) sets a {@code resolver} too.
	 * @param name the client's name
	 * @param config the configuration
	 * @param httpClientCustomizer applied to the client's {@link HttpClient} once
	 * @return the client
	 */
	static WebsockexClient create(String name, Config config, UnaryOperator<HttpClient> httpClientCustomizer) {
		WebsockexClient client = (config.poolSize() > 1) ? new PooledClient(name, config, httpClientCustomizer)
				: new ManagedClient(name, config, httpClientCustomizer);
		ActivationGate gate = config.activationGate();
		return (gate != null) ? new GatedClient(client, gate) : client;
	}

	/**
	 * The client's name.
	 * @return the name
	 */
	String name();

	/**
	 * The client's configuration.
	 * @return the configuration
	 */
	Config config();

	/**
	 * Start connecting in the background. Does nothing if already started. A client
	 * {@linkplain #disconnect() disconnected} (or one that gave up) connects again, with
	 * a fresh retry budget; a {@linkplain #close() closed} client cannot be restarted.
	 */
	void start();

	/**
	 * Wait for the client to be connected.
	 * @return a {@link Mono} that completes when the state is
	 * {@link ConnectionState#CONNECTED}, or fails if it becomes
	 * {@link ConnectionState#DISCONNECTED} (other than not started) first
	 */
	Mono<Void> awaitConnected();

	/**
	 * Wait for the outcome of the first connection attempt after {@link #start()}: unlike
	 * {@link #awaitConnected()}, a failed attempt is reported at once, even while retries
	 * remain (what a fail-fast start-up needs). Subscribed before {@code start()}, it
	 * waits for that start's first attempt; after it, it reports the latest start's.
	 * <pre>{@code
	 * client.start();
	 * client.awaitFirstAttempt().block(Duration.ofSeconds(10)); // throws if refused
	 * }</pre>
	 * @return a {@link Mono} that completes when the first attempt connects, and fails
	 * with a {@link WebsockexException} saying why (no secrets) when it fails, or with
	 * {@link ClientClosedException} when the client is closed or disconnected first
	 */
	Mono<Void> awaitFirstAttempt();

	/**
	 * Send a text frame.
	 * @param text the text
	 * @return a {@link Mono} completing when the frame is written; fails with
	 * {@link NotConnectedException} when not connected, {@link BufferOverflowException}
	 * when {@code outbound-buffer} frames already wait,
	 * {@link RateLimitExceededException} when the rate-limit queue is full
	 */
	Mono<Void> send(String text);

	/**
	 * Send a binary frame.
	 * @param bytes the payload
	 * @return a {@link Mono} completing when the frame is written (errors as
	 * {@link #send(String)})
	 */
	Mono<Void> send(byte[] bytes);

	/**
	 * Make a JSON-RPC 2.0 request: an id unique within this client is assigned, and the
	 * result of the response with that id is returned.
	 * @param method the method
	 * @param params the params: anything Jackson can write ({@code Map}, a record, a
	 * {@link JsonNode}, a list)
	 * @return the {@code result}; fails with {@link JsonRpcErrorException},
	 * {@link RequestTimeoutException}, {@link ConnectionLostException},
	 * {@link ClientClosedException} or the errors of {@link #send(String)}
	 */
	Mono<JsonNode> request(String method, Object params);

	/**
	 * Send a JSON message that already carries an {@code id} and await the whole response
	 * with that id (result or error, unchanged).
	 * @param message the message; its {@code id} must be a string or number
	 * @return the response message; fails like {@link #request(String, Object)} except
	 * that an error response is returned, not raised
	 */
	Mono<JsonNode> sendRequest(ObjectNode message);

	/**
	 * Subscribe to channels with the platform's call and track them, so they are restored
	 * after every reconnect.
	 * @param channels the channels
	 * @return a {@link Mono} completing when the server confirmed
	 */
	Mono<Void> subscribe(String... channels);

	/**
	 * Unsubscribe from channels and stop restoring them.
	 * @param channels the channels
	 * @return a {@link Mono} completing when the server confirmed (or at once when not
	 * connected: the channels are simply no longer restored)
	 */
	Mono<Void> unsubscribe(String... channels);

	/**
	 * The channels tracked for restore, in subscription order.
	 * @return the channels
	 */
	Set<String> subscriptions();

	/**
	 * A channel's notification data, as one hot stream for the life of the client: it
	 * survives reconnects. Each subscriber has an {@code inbound-buffer}-sized buffer.
	 * Data is delivered on the connection's I/O thread: do slow work after a
	 * {@code publishOn}.
	 * @param channel the channel name
	 * @return the data of each notification on that channel
	 */
	Flux<JsonNode> channel(String channel);

	/**
	 * Every data frame not consumed internally (heartbeats, responses to requests), as
	 * one hot stream for the life of the client: it survives reconnects. Messages are
	 * delivered on the connection's I/O thread: do slow work after a {@code publishOn}.
	 * Each subscriber that falls more than {@code inbound-buffer} messages behind is
	 * terminated with {@link BufferOverflowException}; nothing is dropped silently.
	 * @return the messages
	 */
	Flux<WebsockexMessage> messages();

	/**
	 * The current state.
	 * @return the state
	 */
	ConnectionState state();

	/**
	 * The current state, then every change, delivered on the client's state-transition
	 * thread (often the connection's I/O thread): do slow work after a {@code publishOn}.
	 * @return the states
	 */
	Flux<ConnectionState> states();

	/**
	 * A snapshot of connection, traffic, request and rate-limit figures.
	 * @return the snapshot
	 */
	ClientMetrics metrics();

	/**
	 * A snapshot of the heartbeat.
	 * @return the snapshot
	 */
	HeartbeatHealth heartbeatHealth();

	/**
	 * Until when the server holds the current session authenticated, as its last auth or
	 * token refresh answer said ({@code expires_in}); the client refreshes the token
	 * before then ({@code auth.refresh-at}). No token value is ever exposed.
	 * @return the instant, or {@code null} when not connected, not authenticated, or the
	 * platform's answer gives no expiry
	 */
	default @Nullable Instant authenticatedUntil() {
		return null;
	}

	/**
	 * Each successful auth or token refresh, as the instant until which the session is
	 * authenticated: a hot stream for the life of the client, completed when it closes,
	 * delivered on the connection's I/O thread (do slow work after a {@code publishOn}).
	 * Subscribers that cannot keep up miss values, never slow the client down.
	 *
	 * <pre>{@code
	 * client.authentications().subscribe(until -> log.info("authenticated until {}", until));
	 * }</pre>
	 * @return the stream
	 */
	default Flux<Instant> authentications() {
		return Flux.empty();
	}

	/**
	 * Observe how every JSON-RPC request ends (method, outcome, duration), e.g. to time
	 * them in a metrics registry. The observer is called on the thread that ended the
	 * request: keep it short and non-blocking.
	 * @param observer called once per request
	 * @return disposing it stops the observation
	 */
	Disposable observeRequests(Consumer<RequestOutcome> observer);

	/**
	 * Observe planned session replacements ({@code max-connection-age}), which keep the
	 * state {@code CONNECTED} and so show in no state change. The observer is called on
	 * the client's state-transition thread: keep it short and non-blocking.
	 * <pre class="code">
	 * client.observeRotations((rotation) -&gt; log.info("new session after {}", rotation.replacedAge()));
	 * </pre>
	 * @param observer called once per rotation
	 * @return disposing it stops the observation
	 */
	default Disposable observeRotations(Consumer<SessionRotation> observer) {
		return Disposables.disposed();
	}

	/**
	 * Disconnect, but stay usable: like {@link #close()} (close frame 1000, wait up to
	 * {@code shutdown-timeout}, pending requests and queued sends fail with
	 * {@link ClientClosedException}), except that {@link #messages()},
	 * {@link #channel(String)} and {@link #states()} stay open, tracked subscriptions are
	 * kept, and {@link #start()} connects again. This is what a Spring context's
	 * {@code stop()} does; its {@code close()} closes. Idempotent.
	 *
	 * <pre class="code">
	 * client.disconnect().block();   // DISCONNECTED, reason CLOSED_BY_USER
	 * client.start();                // CONNECTING, then CONNECTED; subscribers keep receiving
	 * </pre> The disconnect starts at the call, whether or not the {@link Mono} is
	 * subscribed; a {@link #start()} made before it is over connects again once it is.
	 * @return a {@link Mono} completing when disconnected
	 */
	Mono<Void> disconnect();

	/**
	 * Close the session if there is one and stop reconnecting: close frame 1000, wait up
	 * to {@code shutdown-timeout} for the handshake, fail pending requests and queued
	 * sends with {@link ClientClosedException}. Idempotent. The close starts at the call,
	 * whether or not the {@link Mono} is subscribed.
	 * @return a {@link Mono} completing when closed
	 */
	Mono<Void> close();

	/**
	 * The connections behind this client when it is a pool ({@code pool.size} above 1),
	 * each a client of its own named {@code <name>#<index>}; empty for a client of one
	 * connection.
	 * @return the members, in index order
	 */
	default java.util.List<WebsockexClient> members() {
		return java.util.List.of();
	}

	/**
	 * The member's health score when this client is a member of a pool: 0 when not
	 * connected, else higher with fewer pending requests and a shorter recent round trip
	 * (at most 1). Requests go to the member with the highest.
	 * @return the score, from 0 to 1
	 */
	default double healthScore() {
		if (state() != ConnectionState.CONNECTED) {
			return 0;
		}
		java.time.Duration rtt = heartbeatHealth().lastRoundTrip();
		double rttMillis = (rtt != null) ? rtt.toNanos() / 1e6 : 0;
		return 1.0 / (1 + metrics().pendingRequests() + rttMillis / 100);
	}

	/**
	 * Drop the current session (close frame 1000) and connect again at once, keeping
	 * subscriptions; operator action for a stuck feed.
	 * @return a {@link Mono} completing when the drop was initiated
	 */
	Mono<Void> reconnect();

	/**
	 * This client's place among the instances of a service that share its name: always
	 * {@link ClusterRole#NONE} without an {@link Config#activationGate() activation
	 * gate}.
	 * @return the role
	 */
	default ClusterRole role() {
		return ClusterRole.NONE;
	}

	/**
	 * Since when this instance is the active one for this client.
	 * @return the moment it was activated, or {@code null} while it is not
	 * {@link ClusterRole#ACTIVE}
	 */
	default @Nullable Instant activeSince() {
		return null;
	}

	/**
	 * Hand this client's activation to another instance (a rolling deploy): the session
	 * is closed, and this instance stays out of the running for a while so that a standby
	 * elsewhere takes over.
	 * @return a {@link Mono} completing once this instance is a standby; it fails with
	 * {@link IllegalStateException} for a client without an
	 * {@link Config#activationGate() activation gate}
	 */
	default Mono<Void> yieldActivation() {
		return Mono.error(() -> new IllegalStateException(
				"websockex client '" + name() + "' is not clustered, so it has no activation to yield; set "
						+ "websockex.clients." + name() + ".cluster=single-active (or Config.Builder.activationGate)"));
	}

}
