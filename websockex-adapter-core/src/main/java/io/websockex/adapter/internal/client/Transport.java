package io.websockex.adapter.internal.client;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import io.netty.channel.ChannelOption;
import io.netty.resolver.NoopAddressResolverGroup;
import io.websockex.adapter.Config;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * The {@link Connector} over Reactor Netty: builds the client's {@link HttpClient} and
 * WebSocket spec once, and for each attempt opens a connection, makes its {@link Session}
 * and sets up the pipeline. Pipeline handlers added for every session (decompression
 * bounds, say) belong in {@link #setUpPipeline}.
 */
final class Transport implements Connector {

	/**
	 * Base clients by connect timeout. An {@link HttpClient} is an immutable
	 * configuration, so clients that need nothing else share one instead of each keeping
	 * a copy. newConnection(): a WebSocket holds its connection for life, so a pool would
	 * make the 17th client to one host wait forever for a slot.
	 */
	private static final Map<Long, HttpClient> SHARED_BASES = new ConcurrentHashMap<>();

	// Netty's own bound of response headers, and Config's default.
	private static final int NETTY_MAX_HEADER_SIZE = 8192;

	private final Config config;

	private final HttpClient httpClient;

	private final WebsocketClientSpec websocketSpec;

	private final URI url;

	private final InboundRouter router;

	private final SessionFactory sessions;

	Transport(Config config, UnaryOperator<HttpClient> httpClientCustomizer, InboundRouter router,
			SessionFactory sessions) {
		this.config = config;
		this.httpClient = httpClientCustomizer.apply(baseHttpClient(config));
		this.websocketSpec = websocketSpec(config);
		this.url = config.url();
		this.router = router;
		this.sessions = sessions;
	}

	// Package-private for tests.
	static HttpClient baseHttpClient(Config config) {
		int connectTimeout = (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis());
		// An IP literal has nothing to resolve: Netty's no-op resolver spares building
		// the DNS resolver (tens of milliseconds and 50 classes before a fresh JVM's
		// first frame). Set here, before the user's customizer, which may set its own.
		boolean literal = IpLiteralResolver.isIpLiteral(config.url().getHost());
		HttpClient base = SHARED_BASES.computeIfAbsent(((long) connectTimeout << 1) | (literal ? 1 : 0), (key) -> {
			HttpClient client = HttpClient.newConnection().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeout);
			return literal ? client.resolver(NoopAddressResolverGroup.INSTANCE) : client;
		});
		// Each configuration step copies the client's config: skip the ones with nothing
		// to do (idle heap per connection counts).
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

	@Override
	public Disposable open(long generation, Attempt attempt) {
		Callbacks callbacks = new Callbacks(generation, attempt);
		return this.httpClient.websocket(this.websocketSpec)
			.uri(this.url)
			.handle(callbacks)
			.subscribe(null, callbacks, callbacks);
	}

	@Override
	public Disposable openBeside(long generation, Attempt attempt, Session beside) {
		// The old session's event loop is an EventLoopGroup of one: the new connection
		// is made on it, so the two sessions never emit concurrently into the client's
		// single-emitter streams and counters.
		// The client's resolver set first: runOn would otherwise make (and cache for
		// good) a DNS resolver for every rotation's loop.
		Callbacks callbacks = new Callbacks(generation, attempt);
		return this.httpClient.resolver(this.httpClient.configuration().resolver())
			.runOn(beside.connection.channel().eventLoop())
			.websocket(this.websocketSpec)
			.uri(this.url)
			.handle(callbacks)
			.subscribe(null, callbacks, callbacks);
	}

	// Runs on the event loop once the upgrade succeeded.
	private Publisher<Void> onUpgraded(long generation, Attempt attempt, WebsocketInbound in, WebsocketOutbound out) {
		Connection[] connection = new Connection[1];
		in.withConnection((c) -> connection[0] = c);
		Session session = this.sessions.create(generation, connection[0], out::sendClose);
		setUpPipeline(connection[0], session);
		attempt.opened(session);
		// Data frames never reach the reactive bridge (FrameHandler takes them), but the
		// bridge needs a subscriber with demand: without one it stops reading the socket.
		// receiveObject(), not receiveFrames(): the latter's type filter and cast are two
		// more subscribers kept per connection, and what arrives here is dropped anyway
		// (the bridge releases each message after handing it on).
		return in.receiveObject().then();
	}

	// Before the first frame is read: the upgrade handler is still on the stack.
	private void setUpPipeline(Connection connection, Session session) {
		FrameHandler frames = new FrameHandler(this.router, session);
		connection.addHandlerLast(FrameHandler.NAME, frames);
		InboundGuards.install(connection.channel().pipeline(), frames, this.config);
	}

	/** Makes the session of an upgraded connection. */
	@FunctionalInterface
	interface SessionFactory {

		Session create(long generation, Connection connection, Session.CloseSender closer);

	}

	/**
	 * The callbacks of one connection attempt in one object: the reactive chain keeps
	 * them for as long as the connection lives, and three lambdas would each capture the
	 * transport and the generation.
	 */
	private final class Callbacks
			implements BiFunction<WebsocketInbound, WebsocketOutbound, Publisher<Void>>, Consumer<Throwable>, Runnable {

		private final long generation;

		private final Attempt attempt;

		Callbacks(long generation, Attempt attempt) {
			this.generation = generation;
			this.attempt = attempt;
		}

		// The upgrade succeeded (on the event loop).
		@Override
		public Publisher<Void> apply(WebsocketInbound in, WebsocketOutbound out) {
			return onUpgraded(this.generation, this.attempt, in, out);
		}

		// The attempt or its session failed.
		@Override
		public void accept(Throwable error) {
			this.attempt.ended(error);
		}

		// The attempt or its session completed.
		@Override
		public void run() {
			this.attempt.ended(null);
		}

	}

}
