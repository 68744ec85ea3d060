package io.websockex.adapter.test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.ssl.SslContext;
import io.websockex.adapter.test.RequestStub.Stub;
import io.websockex.adapter.test.internal.Answer;
import io.websockex.adapter.test.internal.Behaviour;
import io.websockex.adapter.test.internal.DeribitBehaviour;
import io.websockex.adapter.test.internal.FreezeGate;
import io.websockex.adapter.test.internal.Json;
import io.websockex.adapter.test.internal.JsonRpcBehaviour;
import io.websockex.adapter.test.internal.RawBehaviour;
import io.websockex.adapter.test.internal.Replay;
import io.websockex.adapter.test.internal.RequestLog;
import io.websockex.adapter.test.internal.RequestLog.Request;
import io.websockex.adapter.test.internal.ServerSession;
import io.websockex.adapter.test.internal.Subscriptions;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import tools.jackson.databind.JsonNode;

/**
 * A real WebSocket server on 127.0.0.1 and an ephemeral port, for testing code that uses
 * websockex (or any WebSocket client). It speaks JSON-RPC 2.0 itself: scripted answers,
 * pushes, faults, platform behaviour ({@link #deribit()}, {@link #jsonRpc()},
 * {@link #raw()}), replay of recordings, and waits on what it received. It accepts
 * upgrades on every path, starts in milliseconds, and {@link #close()} stops it.
 *
 * <pre>{@code
 * try (WebsockexTestServer server = WebsockexTestServer.deribit()) {
 *     server.onRequest("public/get_time").reply("1700000000000");
 *     WebsockexClient client = WebsockexClient.connect(Config.builder(server.url()).build()).block();
 *     server.awaitSubscribed("ticker.BTC-PERPETUAL.raw");
 *     server.push("ticker.BTC-PERPETUAL.raw", Map.of("last_price", 42000));
 *     server.drop(1011);                                   // the client reconnects
 *     assertThat(server.awaitRequest("public/subscribe").get("channels")).hasSize(1);
 * }
 * }</pre>
 *
 * Every wait is bounded by {@link #awaitTimeout(Duration)} (10 seconds unless set) and
 * fails with an {@link AssertionError} that says what was expected and what arrived.
 */
public final class WebsockexTestServer implements AutoCloseable {

	private static final int MAX_FRAME = 64 * 1024 * 1024;

	private final Platform platform;

	private final Behaviour behaviour;

	private final @Nullable SslContext sslContext;

	private final List<Stub> stubs = new CopyOnWriteArrayList<>();

	private final List<Stub> defaults = new CopyOnWriteArrayList<>();

	private final List<ServerSession> sessions = new CopyOnWriteArrayList<>();

	private final Queue<ReceivedFrame> received = new ConcurrentLinkedQueue<>();

	private final Queue<UpgradeRequest> upgradeRequests = new ConcurrentLinkedQueue<>();

	private final RequestLog requests = new RequestLog();

	private final List<String> onConnect = new CopyOnWriteArrayList<>();

	private final AtomicInteger connections = new AtomicInteger();

	private final AtomicInteger sessionIds = new AtomicInteger();

	private final AtomicInteger sockets = new AtomicInteger();

	// Sockets accepted while frozen: never read until the thaw.
	private final List<ChannelHandlerContext> frozenSockets = new CopyOnWriteArrayList<>();

	private volatile boolean frozen;

	private final AtomicInteger pings = new AtomicInteger();

	private final AtomicInteger pongs = new AtomicInteger();

	private volatile @Nullable Replay replay;

	private volatile BiConsumer<TestConnection, String> onText = (connection, text) -> {
	};

	private volatile BiConsumer<TestConnection, byte[]> onBinary = (connection, bytes) -> {
	};

	private volatile Consumer<TestConnection> onConnectAction = (connection) -> {
	};

	private volatile int refuseStatus;

	private volatile int closeAfter;

	private volatile long silentUntil = System.nanoTime();

	private volatile boolean autoPong = true;

	private volatile Duration awaitTimeout = Duration.ofSeconds(10);

	private volatile DisposableServer server;

	private final int port;

	private WebsockexTestServer(Platform platform, @Nullable SslContext sslContext, int port) {
		this.platform = platform;
		this.behaviour = switch (platform) {
			case DERIBIT -> new DeribitBehaviour();
			case JSON_RPC -> new JsonRpcBehaviour();
			case RAW -> new RawBehaviour();
		};
		this.sslContext = sslContext;
		this.server = bind(port);
		this.port = this.server.port();
	}

	/**
	 * Start a server that behaves like Deribit's API v2: {@code public/auth} (any
	 * credentials until {@link #credentials(String, String)} sets them),
	 * {@code private/*} refused before auth with {@code 13009 unauthorized},
	 * {@code public/set_heartbeat} followed by {@code test_request}s every interval (one
	 * left unanswered at the next closes the connection with 4000), {@code public/test},
	 * {@code public/get_time}, subscribe and unsubscribe acknowledgements, and Deribit's
	 * credit-based rate limit (50,000 credits refilled at 10,000 a second, 500 a request;
	 * {@code public/test} is free) refusing with {@code 10028 too_many_requests}.
	 * @return the started server
	 */
	public static WebsockexTestServer deribit() {
		return start(Platform.DERIBIT);
	}

	/**
	 * Start a generic JSON-RPC 2.0 server: {@code subscribe} calls (any method named
	 * {@code subscribe} or ending in {@code /subscribe}, with {@code {"channels":[...]}})
	 * and {@code unsubscribe} calls are acknowledged with the channels; other methods get
	 * {@code -32601 Method not found} unless scripted.
	 * @return the started server
	 */
	public static WebsockexTestServer jsonRpc() {
		return start(Platform.JSON_RPC);
	}

	/**
	 * Start a server without a protocol: nothing is answered unless scripted, and
	 * {@link #push(String, Object)} goes to every connection.
	 * @return the started server
	 */
	public static WebsockexTestServer raw() {
		return start(Platform.RAW);
	}

	/**
	 * @param platform the behaviour built in
	 * @return the started server
	 */
	public static WebsockexTestServer start(Platform platform) {
		return new WebsockexTestServer(platform, null, 0);
	}

	/**
	 * Start a TLS server ({@code wss://}).
	 * @param platform the behaviour built in
	 * @param sslContext the server's TLS context (certificate, client authentication)
	 * @return the started server
	 */
	public static WebsockexTestServer startSecure(Platform platform, SslContext sslContext) {
		return new WebsockexTestServer(platform, sslContext, 0);
	}

	private DisposableServer bind(int port) {
		HttpServer server = HttpServer.create();
		if (this.sslContext != null) {
			SslContext context = this.sslContext;
			server = server.secure((spec) -> spec.sslContext(context));
		}
		return server.host("127.0.0.1").port(port).doOnChannelInit((observer, channel, address) -> {
			this.sockets.incrementAndGet();
			if (this.frozen) {
				FreezeGate gate = new FreezeGate();
				channel.pipeline().addFirst("websockexFreezeGate", gate);
				this.frozenSockets.add(channel.pipeline().context(gate));
			}
		}).handle(this::upgrade).bindNow(Duration.ofSeconds(10));
	}

	private Publisher<Void> upgrade(HttpServerRequest request, HttpServerResponse response) {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		request.requestHeaders()
			.forEach((header) -> headers
				.computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), (name) -> new ArrayList<>())
				.add(header.getValue()));
		this.upgradeRequests.add(new UpgradeRequest(request.uri(), Map.copyOf(headers)));
		int status = this.refuseStatus;
		if (status != 0) {
			return response.status(HttpResponseStatus.valueOf(status)).send();
		}
		if (!request.requestHeaders().containsValue("Upgrade", "websocket", true)) {
			return response.status(HttpResponseStatus.BAD_REQUEST)
				.sendString(Mono.just("this is a WebSocket test server: send an upgrade request"));
		}
		// Registered (and counted) before the 101 goes out, so that whatever a test does
		// once its client is connected (push, drop, ...) reaches this connection.
		ServerSession session = register(request);
		return response.sendWebsocket((in, out) -> handle(session, in, out),
				WebsocketServerSpec.builder().maxFramePayloadLength(MAX_FRAME).handlePing(true).compress(true).build());
	}

	private ServerSession register(HttpServerRequest request) {
		Channel[] channel = new Channel[1];
		request.withConnection((connection) -> channel[0] = connection.channel());
		ServerSession session = new ServerSession(this.sessionIds.incrementAndGet(), channel[0], this::isStalled);
		if (this.closeAfter > 0) {
			session.closeAfter(this.closeAfter);
		}
		this.sessions.add(session);
		// Counted only once listed: a test that waits for the count may act on the
		// session.
		this.connections.incrementAndGet();
		channel[0].closeFuture().addListener((future) -> {
			this.sessions.remove(session);
			session.ended();
		});
		return session;
	}

	private Mono<Void> handle(ServerSession session, WebsocketInbound in, WebsocketOutbound out) {
		this.onConnect.forEach(session::send);
		session.ready(out);
		this.onConnectAction.accept(session);
		this.behaviour.onOpen(session);
		Replay replay = this.replay;
		if (replay != null) {
			replay.onOpen(session);
		}
		in.aggregateFrames(MAX_FRAME).receiveFrames().subscribe((frame) -> onFrame(session, frame), (error) -> {
		});
		in.receiveCloseStatus().subscribe((status) -> session.closeCode(status.code()), (error) -> {
		});
		Connection[] connection = new Connection[1];
		in.withConnection((c) -> connection[0] = c);
		return connection[0].onDispose();
	}

	private void onFrame(ServerSession session, WebSocketFrame frame) {
		// Stalled or frozen: the server reads nothing (what is received is lost).
		if (session.isSilent()) {
			return;
		}
		if (frame instanceof PingWebSocketFrame ping) {
			this.pings.incrementAndGet();
			if (this.autoPong) {
				session.write(new PongWebSocketFrame(ping.content().retain()));
			}
			return;
		}
		if (frame instanceof PongWebSocketFrame) {
			this.pongs.incrementAndGet();
			return;
		}
		boolean last = session.countFrame();
		if (frame instanceof TextWebSocketFrame text) {
			String value = text.text();
			this.received.add(new ReceivedFrame(session.id(), Instant.now(), value, null));
			if (last) {
				// The n-th frame is recorded, never answered: as if the server died
				// reading it.
				session.close(1011, "closeAfter: the test server closes after this many frames");
				return;
			}
			this.onText.accept(session, value);
			onText(session, value);
		}
		else if (frame instanceof BinaryWebSocketFrame binary) {
			byte[] bytes = new byte[binary.content().readableBytes()];
			binary.content().getBytes(binary.content().readerIndex(), bytes);
			this.received.add(new ReceivedFrame(session.id(), Instant.now(), null, bytes));
			if (last) {
				session.close(1011, "closeAfter: the test server closes after this many frames");
				return;
			}
			this.onBinary.accept(session, bytes);
		}
	}

	private void onText(ServerSession session, String text) {
		JsonNode message = Json.parseObject(text);
		if (message == null || !message.path("method").isString()) {
			return;
		}
		String method = message.get("method").asString();
		JsonNode params = message.path("params");
		JsonNode id = message.path("id");
		this.requests.add(new Request(session.id(), method, params, id, message));
		if (id.isMissingNode() || id.isNull()) {
			return;
		}
		Answer answer = answer(session, method, params);
		if (answer.isNone()) {
			return;
		}
		String response = Json.response(id, answer, this.behaviour.responseFields());
		// The subscription counts when its acknowledgement is written (a test that saw
		// the
		// acknowledgement sees it), and is announced after, so that nothing a replay
		// pushes
		// for the channel overtakes the acknowledgement.
		Runnable reply = () -> {
			List<String> subscribed = Subscriptions.track(session, method, params, answer);
			session.send(response);
			subscribed.forEach(session::announceSubscribed);
		};
		if (answer.delay().isZero()) {
			reply.run();
		}
		else {
			Mono.delay(answer.delay()).subscribe((tick) -> reply.run());
		}
	}

	private Answer answer(ServerSession session, String method, JsonNode params) {
		Answer refused = this.behaviour.admit(session, method);
		if (refused != null) {
			return refused;
		}
		Answer answer = scripted(this.stubs, method, params);
		if (answer == null && this.replay != null) {
			answer = this.replay.answer(session, method);
		}
		if (answer == null) {
			answer = this.behaviour.answer(session, method, params);
		}
		if (answer == null) {
			answer = scripted(this.defaults, method, params);
		}
		return (answer != null) ? answer : this.behaviour.unknownMethod(method);
	}

	private static @Nullable Answer scripted(List<Stub> stubs, String method, JsonNode params) {
		for (int i = stubs.size() - 1; i >= 0; i--) {
			Stub stub = stubs.get(i);
			if (stub.matches(method, params)) {
				return stub.answer().apply(params);
			}
		}
		return null;
	}

	void addStub(Stub stub) {
		((stub.method() != null) ? this.stubs : this.defaults).add(stub);
	}

	private boolean isStalled() {
		return System.nanoTime() - this.silentUntil < 0;
	}

	private DeribitBehaviour deribitBehaviour(String what) {
		if (this.behaviour instanceof DeribitBehaviour deribit) {
			return deribit;
		}
		throw new IllegalStateException(what + " applies to a deribit() server; this one is " + this.platform);
	}

	// ---- address

	/**
	 * @return the URL clients connect to: {@code ws://127.0.0.1:<port>/ws} (any path is
	 * accepted)
	 */
	public String url() {
		return url("/ws");
	}

	/**
	 * @param path a path, such as {@code /ws/api/v2}
	 * @return the URL of that path on this server
	 */
	public String url(String path) {
		return ((this.sslContext != null) ? "wss" : "ws") + "://127.0.0.1:" + this.port
				+ (path.startsWith("/") ? path : "/" + path);
	}

	/**
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * @return the behaviour built in
	 */
	public Platform platform() {
		return this.platform;
	}

	// ---- scripts

	/**
	 * Script the answer to a method.
	 * @param method the method, such as {@code public/get_time}
	 * @return the script, to finish with {@code reply}, {@code error} or {@code noReply}
	 */
	public RequestStub onRequest(String method) {
		return new RequestStub(this, method::equals);
	}

	/**
	 * Script the answer to every method a predicate accepts.
	 * @param methods tests a request's method, such as
	 * {@code m -> m.startsWith("private/")}
	 * @return the script, to finish with {@code reply}, {@code error} or {@code noReply}
	 */
	public RequestStub onRequest(java.util.function.Predicate<String> methods) {
		return new RequestStub(this, methods);
	}

	/**
	 * Script the answer to methods that neither a script nor the platform knows (by
	 * default {@code -32601 Method not found}, and no answer on {@link #raw()}).
	 * @return the script
	 */
	public RequestStub onUnknownMethod() {
		return new RequestStub(this, null);
	}

	/**
	 * @param handler called for every text frame received (after it is recorded, before
	 * it is answered), for behaviour no script expresses
	 * @return this server
	 */
	public WebsockexTestServer onText(BiConsumer<TestConnection, String> handler) {
		this.onText = handler;
		return this;
	}

	/**
	 * @param handler called for every binary frame received (after it is recorded)
	 * @return this server
	 */
	public WebsockexTestServer onBinary(BiConsumer<TestConnection, byte[]> handler) {
		this.onBinary = handler;
		return this;
	}

	/**
	 * @param action called for every new connection right after the upgrade (after the
	 * frames of {@link #onConnectSend(String...)})
	 * @return this server
	 */
	public WebsockexTestServer onConnect(Consumer<TestConnection> action) {
		this.onConnectAction = action;
		return this;
	}

	/**
	 * Send these text frames on every new connection, right after the upgrade.
	 * @param frames the frames' texts
	 * @return this server
	 */
	public WebsockexTestServer onConnectSend(String... frames) {
		this.onConnect.addAll(List.of(frames));
		return this;
	}

	/**
	 * @param autoPong whether ping frames are answered with pongs (default true)
	 * @return this server
	 */
	public WebsockexTestServer autoPong(boolean autoPong) {
		this.autoPong = autoPong;
		return this;
	}

	/**
	 * @param timeout how long every {@code await...} waits (default 10 seconds)
	 * @return this server
	 */
	public WebsockexTestServer awaitTimeout(Duration timeout) {
		this.awaitTimeout = timeout;
		return this;
	}

	// ---- Deribit

	/**
	 * Accept only these credentials in {@code public/auth} ({@code client_credentials},
	 * or {@code client_signature} checked with the secret). Deribit servers only.
	 * @param clientId the client id
	 * @param clientSecret the client secret
	 * @return this server
	 */
	public WebsockexTestServer credentials(String clientId, String clientSecret) {
		deribitBehaviour("credentials(...)").credentials(clientId, clientSecret);
		return this;
	}

	/**
	 * @param lifetime the {@code expires_in} of tokens issued from now on (default 15
	 * minutes). Deribit servers only.
	 * @return this server
	 */
	public WebsockexTestServer tokenLifetime(Duration lifetime) {
		deribitBehaviour("tokenLifetime(...)").tokenLifetime(lifetime);
		return this;
	}

	/**
	 * Send {@code test_request}s at this pace after {@code public/set_heartbeat},
	 * whatever interval the client asked for: Deribit clients may not ask for less than
	 * 10 seconds, and a test need not wait that long. Deribit servers only.
	 * @param interval the pace
	 * @return this server
	 */
	public WebsockexTestServer testRequestInterval(Duration interval) {
		deribitBehaviour("testRequestInterval(...)").testRequestInterval(interval);
		return this;
	}

	/**
	 * Set the credit-based rate limit of connections opened from now on. Deribit servers
	 * only.
	 * @param maxCredits the pool's size
	 * @param refillPerSecond credits refilled a second
	 * @param costPerRequest credits a request costs
	 * @return this server
	 */
	public WebsockexTestServer rateLimit(long maxCredits, long refillPerSecond, long costPerRequest) {
		deribitBehaviour("rateLimit(...)").rateLimit(maxCredits, refillPerSecond, costPerRequest);
		return this;
	}

	/**
	 * Turn the rate limit off for connections opened from now on. Deribit servers only.
	 * @return this server
	 */
	public WebsockexTestServer noRateLimit() {
		deribitBehaviour("noRateLimit()").rateLimit(0, 0, 0);
		return this;
	}

	// ---- replay

	/**
	 * Replay a recording (JSON Lines as written by websockex's {@code recording.path}) on
	 * every connection opened from now on, with the original timing.
	 * @param recording the file
	 * @return this server
	 * @see #replay(Path, Timing)
	 */
	public WebsockexTestServer replay(Path recording) {
		return replay(recording, Timing.ORIGINAL);
	}

	/**
	 * Replay a recording on every connection opened from now on: the client's requests
	 * get the answers recorded for the same method (in the recorded order; the last one
	 * repeats; scripts still win), and every other frame the recorded client received is
	 * pushed again. A notification of a channel the recording subscribed to waits until
	 * this client subscribed to it too (at most the await timeout, then that channel is
	 * skipped).
	 * @param recording the file: one JSON object per line with {@code time} (ISO-8601),
	 * {@code direction} ({@code in} or {@code out}, as the recording client saw it) and
	 * {@code text} or base64 {@code binary}
	 * @param timing the original spacing of pushes, or as fast as possible
	 * @return this server
	 * @throws IllegalArgumentException naming the line that is not a frame
	 */
	public WebsockexTestServer replay(Path recording, Timing timing) {
		this.replay = Replay.read(recording, timing == Timing.ORIGINAL, this.awaitTimeout);
		return this;
	}

	// ---- pushes

	/**
	 * Push a channel notification in the platform's shape,
	 * {@code {"jsonrpc":"2.0","method":"subscription","params":{"channel":..,"data":..}}},
	 * to every connection subscribed to the channel ({@link #raw()}: every connection).
	 * @param channel the channel
	 * @param data the data: anything Jackson writes ({@code Map}, record,
	 * {@code JsonNode}, ...)
	 * @return how many connections it was sent to
	 */
	public int push(String channel, Object data) {
		String notification = Json.notification("subscription", channel, Json.tree(data));
		int sent = 0;
		for (ServerSession session : this.sessions) {
			if (!this.behaviour.tracksSubscriptions() || session.isSubscribed(channel)) {
				session.send(notification);
				sent++;
			}
		}
		return sent;
	}

	/**
	 * @param text sent as a text frame to every connection
	 * @return this server
	 */
	public WebsockexTestServer send(String text) {
		this.sessions.forEach((session) -> session.send(text));
		return this;
	}

	/**
	 * @param bytes sent as a binary frame to every connection
	 * @return this server
	 */
	public WebsockexTestServer sendBinary(byte[] bytes) {
		this.sessions.forEach((session) -> session.sendBinary(bytes));
		return this;
	}

	/**
	 * @param payload sent as a ping frame to every connection
	 * @return this server
	 */
	public WebsockexTestServer sendPing(byte[] payload) {
		this.sessions.forEach((session) -> session.write(new PingWebSocketFrame(Unpooled.wrappedBuffer(payload))));
		return this;
	}

	// ---- faults

	/**
	 * Close every connection with a close frame of this code, as a server that restarts
	 * or rejects the session does. The connections leave {@link #openConnections()} at
	 * once, so that waits and pushes that follow see only the client's next connection.
	 * @param code the RFC 6455 status code (1001 going away, 1011 server error, ...)
	 * @return this server
	 */
	public WebsockexTestServer drop(int code) {
		for (ServerSession session : this.sessions) {
			session.close(code, "dropped by the test server");
			// Gone for the test at once: a later wait or push sees only new connections.
			this.sessions.remove(session);
		}
		return this;
	}

	/**
	 * Close every connection's socket without a close frame, as a crash or a network cut
	 * does. The connections leave {@link #openConnections()} at once.
	 * @return this server
	 */
	public WebsockexTestServer drop() {
		for (ServerSession session : this.sessions) {
			session.drop();
			this.sessions.remove(session);
		}
		return this;
	}

	/**
	 * Go silent for a while with every socket open: nothing is read (frames that arrive
	 * are lost), answered, pushed or ponged; new connections are accepted but silent too.
	 * @param duration how long
	 * @return this server
	 */
	public WebsockexTestServer stall(Duration duration) {
		this.silentUntil = System.nanoTime() + duration.toNanos();
		return this;
	}

	/**
	 * Make the network path half-open until {@link #thaw()}: on every open connection the
	 * server stops reading its socket (the client's writes back up in TCP) and writes
	 * nothing, and no FIN is sent, as when a NAT or load balancer silently forgets a
	 * connection; new connections are accepted but never read, so their upgrade hangs.
	 * @return this server
	 */
	public WebsockexTestServer freeze() {
		this.frozen = true;
		this.sessions.forEach(ServerSession::freeze);
		return this;
	}

	/**
	 * Undo {@link #freeze()}: read and write again on the connections still open, and
	 * read the upgrades that waited.
	 * @return this server
	 */
	public WebsockexTestServer thaw() {
		this.frozen = false;
		this.sessions.forEach(ServerSession::thaw);
		for (ChannelHandlerContext gate : this.frozenSockets) {
			((FreezeGate) gate.handler()).thaw(gate);
		}
		this.frozenSockets.clear();
		return this;
	}

	/**
	 * Answer every upgrade with this HTTP status instead of 101, until
	 * {@link #acceptUpgrades()}.
	 * @param status such as 401, 403, 429 or 503
	 * @return this server
	 */
	public WebsockexTestServer refuseUpgrade(int status) {
		this.refuseStatus = status;
		return this;
	}

	/**
	 * Accept upgrades again after {@link #refuseUpgrade(int)}.
	 * @return this server
	 */
	public WebsockexTestServer acceptUpgrades() {
		this.refuseStatus = 0;
		return this;
	}

	/**
	 * Send every connection a text frame that is cut-off JSON.
	 * @return this server
	 */
	public WebsockexTestServer malformed() {
		return send("{\"jsonrpc\":\"2.0\",\"method\":\"subscription\",\"params\":{\"channel\":");
	}

	/**
	 * Send every connection a text frame that is not valid UTF-8.
	 * @return this server
	 */
	public WebsockexTestServer invalidUtf8() {
		byte[] bytes = { (byte) 0xC3, (byte) 0x28, (byte) 0xA0, (byte) 0xA1 };
		this.sessions.forEach((session) -> session.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(bytes))));
		return this;
	}

	/**
	 * Send every connection one text frame of exactly this size: a JSON notification on
	 * channel {@code oversize} whose data is a long string.
	 * @param bytes the frame's size in bytes (at least 100)
	 * @return this server
	 */
	public WebsockexTestServer oversize(int bytes) {
		String prefix = "{\"jsonrpc\":\"2.0\",\"method\":\"subscription\",\"params\":{\"channel\":\"oversize\",\"data\":\"";
		String suffix = "\"}}";
		int padding = bytes - prefix.length() - suffix.length();
		if (padding < 0) {
			throw new IllegalArgumentException("oversize(" + bytes + "): the frame needs at least "
					+ (prefix.length() + suffix.length()) + " bytes");
		}
		return send(prefix + "x".repeat(padding) + suffix);
	}

	/**
	 * Close every connection (open now or opened later) with 1011 once it has received
	 * this many more data frames; the last one is recorded but not answered.
	 * @param frames how many frames
	 * @return this server
	 */
	public WebsockexTestServer closeAfter(int frames) {
		this.closeAfter = frames;
		this.sessions.forEach((session) -> session.closeAfter(frames));
		return this;
	}

	/**
	 * Stop listening and drop every connection; {@link #restart()} listens again on the
	 * same port.
	 */
	public void stop() {
		this.server.disposeNow(Duration.ofSeconds(5));
		drop();
	}

	/** Listen again on the same port after {@link #stop()}. */
	public void restart() {
		this.server = bind(this.port);
	}

	// ---- what it received

	/**
	 * @return every data frame received, in order
	 */
	public List<ReceivedFrame> received() {
		return List.copyOf(this.received);
	}

	/**
	 * @return the texts of every text frame received, in order
	 */
	public List<String> receivedTexts() {
		return this.received.stream().filter(ReceivedFrame::isText).map(ReceivedFrame::asText).toList();
	}

	/**
	 * @return the methods of every JSON-RPC request and notification received, in order
	 */
	public List<String> methods() {
		return this.requests.all().stream().map(Request::method).toList();
	}

	/**
	 * @return every JSON-RPC request and notification received, whole, in order
	 */
	public List<JsonNode> requests() {
		return this.requests.all().stream().map(Request::message).toList();
	}

	/**
	 * Forget every frame and request received so far, so that {@link #received()},
	 * {@link #requests()} and {@link #awaitRequest(String)} see only what comes next.
	 * @return this server
	 */
	public WebsockexTestServer clearReceived() {
		this.received.clear();
		this.requests.clear();
		return this;
	}

	/**
	 * @param method a method
	 * @return the params of every request of that method, in order
	 */
	public List<JsonNode> requests(String method) {
		return this.requests.all().stream().filter((r) -> r.method().equals(method)).map(Request::params).toList();
	}

	/**
	 * Wait for the next request of a method (each request is returned once, so successive
	 * calls return successive requests).
	 * @param method the method
	 * @return the request's params (a missing node when it had none)
	 * @throws AssertionError when none arrives within the await timeout
	 */
	public JsonNode awaitRequest(String method) {
		return this.requests.await(method, this.awaitTimeout).params();
	}

	/**
	 * Wait until some connection has subscribed to a channel (and the server acknowledged
	 * it).
	 * @param channel the channel
	 * @return this server
	 * @throws AssertionError when no connection subscribes within the await timeout
	 */
	public WebsockexTestServer awaitSubscribed(String channel) {
		awaitCondition(() -> this.sessions.stream().anyMatch((s) -> s.isSubscribed(channel)),
				() -> "no connection subscribed to '" + channel + "'; subscriptions: "
						+ this.sessions.stream().map(TestConnection::subscriptions).toList());
		return this;
	}

	/**
	 * Wait until this many upgrades have been accepted since the server started.
	 * @param count the number of connections
	 * @return this server
	 * @throws AssertionError when fewer arrive within the await timeout
	 */
	public WebsockexTestServer awaitConnections(int count) {
		awaitCondition(() -> this.connections.get() >= count, () -> "expected " + count + " connections, got "
				+ this.connections.get() + " (upgrade requests: " + this.upgradeRequests.size() + ")");
		return this;
	}

	/**
	 * Wait until no connection is open (every client closed or was dropped).
	 * @param timeout how long
	 * @throws AssertionError naming the connections still open after the timeout
	 */
	public void awaitNoOpenConnections(Duration timeout) {
		awaitCondition(this.sessions::isEmpty, () -> this.sessions.size() + " connection(s) still open: "
				+ this.sessions + "; close every client the test opened (client.close())", timeout);
	}

	private void awaitCondition(java.util.function.BooleanSupplier condition,
			java.util.function.Supplier<String> failure) {
		awaitCondition(condition, failure, this.awaitTimeout);
	}

	// Polls: the conditions span several connections' event loops, and a test thread may
	// block (never an event loop: the server's own code never calls these).
	private static void awaitCondition(java.util.function.BooleanSupplier condition,
			java.util.function.Supplier<String> failure, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError(failure.get() + " (waited " + timeout + ")");
			}
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("interrupted while waiting: " + failure.get(), ex);
			}
		}
	}

	/**
	 * @return upgrades accepted since the server started
	 */
	public int connections() {
		return this.connections.get();
	}

	/**
	 * @return TCP connections accepted since the server started, upgraded or not
	 */
	public int tcpConnections() {
		return this.sockets.get();
	}

	/**
	 * @return the connections open now
	 */
	public List<TestConnection> openConnections() {
		return List.copyOf(this.sessions);
	}

	/**
	 * @return every upgrade request received, accepted or refused, in order
	 */
	public List<UpgradeRequest> upgradeRequests() {
		return List.copyOf(this.upgradeRequests);
	}

	/**
	 * @return ping frames received
	 */
	public int pings() {
		return this.pings.get();
	}

	/**
	 * @return pong frames received
	 */
	public int pongs() {
		return this.pongs.get();
	}

	/** Drop every connection and stop listening. */
	@Override
	public void close() {
		thaw();
		drop();
		this.server.disposeNow(Duration.ofSeconds(5));
	}

	@Override
	public String toString() {
		return "WebsockexTestServer[" + this.platform.name().toLowerCase(Locale.ROOT) + ", " + url() + ", "
				+ this.sessions.size() + " open]";
	}

	/** The behaviour built into a server. */
	public enum Platform {

		/** Deribit's API v2: see {@link WebsockexTestServer#deribit()}. */
		DERIBIT,

		/** Generic JSON-RPC 2.0: see {@link WebsockexTestServer#jsonRpc()}. */
		JSON_RPC,

		/** No protocol: see {@link WebsockexTestServer#raw()}. */
		RAW

	}

	/** How a replay spaces the frames it pushes. */
	public enum Timing {

		/** As recorded, from the start of each connection. */
		ORIGINAL,

		/** Each frame as soon as the one before it is written. */
		AS_FAST_AS_POSSIBLE

	}

}
