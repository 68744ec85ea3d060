package io.websockex.adapter.internal.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.NoopAddressResolverGroup;
import io.websockex.adapter.Config;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;
import reactor.netty.http.HttpResources;
import reactor.netty.http.client.HttpClient;
import reactor.netty.tcp.TcpClient;

/**
 * The {@link Connector} of a client whose Reactor Netty {@code HttpClient} nobody
 * customizes (the default): a {@link TcpClient} connection on the same event loops,
 * resolver and TLS support, with the WebSocket upgrade written and read by
 * {@link UpgradeHandshake}. An HTTP client connection keeps its request headers, its
 * configuration copy, its handshaker and the server's answer for as long as the WebSocket
 * lives; this one keeps a channel, the frame handlers and the session: less than half the
 * heap per idle client (docs/benchmarks.md, run 14), and a hundred classes fewer to load
 * before the first frame.
 * <p>
 * The pipeline after the upgrade: [TLS], frame encoder, {@link FrameDecoder},
 * [{@link MessageInflater}], {@link FrameHandler}, {@link CloseHandshake}, then Reactor
 * Netty's bridge, which never receives anything.
 */
final class TcpTransport implements Connector {

	/**
	 * Base clients by connect timeout: a {@link TcpClient} is an immutable configuration,
	 * so clients that need nothing else share one.
	 */
	private static final Map<Integer, TcpClient> SHARED_BASES = new ConcurrentHashMap<>();

	private final Config config;

	private final TcpClient tcpClient;

	private final boolean literal;

	private final InboundRouter router;

	private final Transport.SessionFactory sessions;

	/**
	 * A transport for one client.
	 * @param config the client's configuration
	 * @param sslContext the TLS context of a {@code wss://} URL, or {@code null} for the
	 * JVM's default trust, with host name verification
	 * @param router routes the client's inbound frames
	 * @param sessions makes the sessions
	 */
	TcpTransport(Config config, @Nullable SslContext sslContext, InboundRouter router,
			Transport.SessionFactory sessions) {
		this.config = config;
		this.router = router;
		this.sessions = sessions;
		URI url = config.url();
		this.literal = IpLiteralResolver.isIpLiteral(url.getHost());
		TcpClient base = baseTcpClient(config);
		if (isSecure(url)) {
			SslContext context = (sslContext != null) ? sslContext : DefaultTls.context();
			// Host name verification whatever the context says, as Reactor Netty's
			// HttpClient does.
			base = base.secure((spec) -> spec.sslContext(context).handlerConfigurator(TcpTransport::verifyHostName));
		}
		this.tcpClient = base;
	}

	static boolean isSecure(URI url) {
		return "wss".equalsIgnoreCase(url.getScheme());
	}

	static int defaultPort(URI url) {
		return isSecure(url) ? 443 : 80;
	}

	private static void verifyHostName(SslHandler handler) {
		SSLEngine engine = handler.engine();
		SSLParameters parameters = engine.getSSLParameters();
		parameters.setEndpointIdentificationAlgorithm("HTTPS");
		engine.setSSLParameters(parameters);
	}

	private static TcpClient baseTcpClient(Config config) {
		int connectTimeout = (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis());
		return SHARED_BASES.computeIfAbsent(connectTimeout,
				(key) -> TcpClient.newConnection().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeout));
	}

	// A literal is parsed here, never looked up; a host name is resolved at each attempt
	// by the resolver, on the event loop, without blocking.
	private static SocketAddress address(URI url, boolean literal) {
		int port = (url.getPort() != -1) ? url.getPort() : defaultPort(url);
		if (!literal) {
			return InetSocketAddress.createUnresolved(url.getHost(), port);
		}
		try {
			return new InetSocketAddress(InetAddress.getByName(url.getHost()), port);
		}
		catch (UnknownHostException ex) {
			// Never: isIpLiteral checked the syntax, and a literal is not looked up.
			throw new IllegalArgumentException(ex);
		}
	}

	// Set before runOn, which otherwise builds a DNS resolver of its own (and, for a
	// rotation's event loop, caches one per rotation for good). An IP literal has nothing
	// to resolve: the no-op resolver spares building any (tens of milliseconds before a
	// fresh JVM's first frame). A host name gets the HTTP clients' own resolver, which
	// goes with their resources.
	private TcpClient withResolver() {
		return this.tcpClient.resolver(this.literal ? NoopAddressResolverGroup.INSTANCE : HttpClientResolver.current());
	}

	// The HTTP clients' event loops: an application that also uses WebClient gets no
	// second set of threads. Looked up at each attempt, not kept: Spring disposes them
	// with a context, and the next context makes new ones.
	@Override
	public Disposable open(long generation, Attempt attempt) {
		return connect(withResolver().runOn(HttpResources.get()), generation, attempt);
	}

	// On the old session's event loop, so that the two sessions never emit concurrently
	// into the client's single-emitter streams and counters.
	@Override
	public Disposable openBeside(long generation, Attempt attempt, Session beside) {
		return connect(withResolver().runOn(beside.connection.channel().eventLoop()), generation, attempt);
	}

	private Disposable connect(TcpClient client, long generation, Attempt attempt) {
		TcpAttempt tcpAttempt = new TcpAttempt(generation, attempt);
		client.remoteAddress(this::remoteAddress).connect().subscribe(tcpAttempt);
		return tcpAttempt;
	}

	// Made at each attempt rather than kept: an idle client's heap counts.
	private SocketAddress remoteAddress() {
		return address(this.config.url(), this.literal);
	}

	/**
	 * One connection attempt: subscribes to the connect, writes the upgrade request, and
	 * reports the attempt's outcome once; its close listener reports the session's end.
	 */
	private final class TcpAttempt
			implements CoreSubscriber<Connection>, Disposable, UpgradeHandler.Upgraded, ChannelFutureListener {

		private static final VarHandle ENDED;

		static {
			try {
				ENDED = MethodHandles.lookup().findVarHandle(TcpAttempt.class, "ended", boolean.class);
			}
			catch (ReflectiveOperationException ex) {
				throw new ExceptionInInitializerError(ex);
			}
		}

		private final long generation;

		private final Attempt attempt;

		private volatile @Nullable Subscription subscription;

		private volatile @Nullable Connection connection;

		private volatile boolean disposed;

		@SuppressWarnings("unused")
		private volatile boolean ended;

		// Set on the event loop before the channel is closed by a failed upgrade.
		private @Nullable Throwable failure;

		TcpAttempt(long generation, Attempt attempt) {
			this.generation = generation;
			this.attempt = attempt;
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			this.subscription = subscription;
			if (this.disposed) {
				subscription.cancel();
			}
			else {
				subscription.request(1);
			}
		}

		// On the event loop, once connected (and past TLS).
		@Override
		public void onNext(Connection connection) {
			this.connection = connection;
			// The connect is over: from here dispose() closes the connection, and the
			// connect chain need not be kept for the connection's life.
			this.subscription = null;
			Channel channel = connection.channel();
			channel.closeFuture().addListener(this);
			if (this.disposed) {
				connection.dispose();
				return;
			}
			UpgradeHandshake handshake = new UpgradeHandshake(TcpTransport.this.config.url(), TcpTransport.this.config);
			channel.pipeline()
				.addBefore(NettyPipeline.ReactiveBridge, UpgradeHandler.NAME, new UpgradeHandler(handshake, this));
			// Reactor Netty reads only on demand from its bridge, which gets nothing
			// here: the handlers in front of it take every byte.
			channel.config().setAutoRead(true);
			channel.writeAndFlush(handshake.request(channel.alloc())).addListener((ChannelFuture written) -> {
				if (!written.isSuccess()) {
					this.failure = written.cause();
					written.channel().close();
				}
			});
		}

		@Override
		public void onError(Throwable error) {
			if (!this.disposed) {
				end(error);
			}
		}

		@Override
		public void onComplete() {
			if (this.connection == null && !this.disposed) {
				// Completed without a connection: nothing else will report the attempt.
				end(null);
			}
		}

		@Override
		public void upgraded(MessageInflater.Mode compression) {
			Connection open = this.connection;
			if (open == null) {
				// Never: the upgrade handler is added once connected.
				return;
			}
			Channel channel = open.channel();
			CloseHandshake closer = new CloseHandshake(channel);
			Session session = TcpTransport.this.sessions.create(this.generation, open, closer);
			FrameHandler frames = new FrameHandler(TcpTransport.this.router, session);
			InboundGuards.installAfterOwnUpgrade(channel.pipeline(), frames, closer, TcpTransport.this.config,
					compression);
			this.attempt.opened(session);
		}

		@Override
		public void failed(Throwable error) {
			this.failure = error;
		}

		// The channel closed: the attempt failed or its session ended.
		@Override
		public void operationComplete(ChannelFuture future) {
			if (!this.disposed) {
				end(this.failure);
			}
		}

		private void end(@Nullable Throwable error) {
			if (ENDED.compareAndSet(this, false, true)) {
				this.attempt.ended(error);
			}
		}

		@Override
		public void dispose() {
			this.disposed = true;
			Subscription pending = this.subscription;
			if (pending != null) {
				pending.cancel();
			}
			Connection open = this.connection;
			if (open != null) {
				open.dispose();
			}
		}

		@Override
		public boolean isDisposed() {
			return this.disposed;
		}

	}

	/**
	 * The default resolver of Reactor Netty's HTTP clients, for host names: made on first
	 * use, so that IP-literal clients never load the HTTP client's classes.
	 */
	private static final class HttpClientResolver {

		private static final HttpClient CLIENT = HttpClient.newConnection();

		static AddressResolverGroup<?> current() {
			return CLIENT.configuration().defaultAddressResolverGroup();
		}

	}

	/** The JVM's trust store, with host name verification: made at the first wss URL. */
	private static final class DefaultTls {

		private static final SslContext CONTEXT = build();

		static SslContext context() {
			return CONTEXT;
		}

		private static SslContext build() {
			try {
				return SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").build();
			}
			catch (SSLException ex) {
				throw new IllegalStateException("the JVM's default TLS context cannot be built", ex);
			}
		}

	}

}
