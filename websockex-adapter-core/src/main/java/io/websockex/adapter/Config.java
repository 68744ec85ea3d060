package io.websockex.adapter;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.websockex.adapter.heartbeat.Heartbeat;
import io.websockex.adapter.platform.Platform;
import io.websockex.adapter.platform.Platforms;
import io.websockex.adapter.ratelimit.ConnectRateLimiter;
import io.websockex.adapter.ratelimit.RateLimit;
import org.jspecify.annotations.Nullable;

/**
 * The immutable configuration of one {@link WebsockexClient}. Built with
 * {@link #builder(String)}, validated once in {@link Builder#build()}: an invalid value
 * throws {@link InvalidConfigException} naming the property.
 *
 * <pre>{@code
 * Config config = Config.builder("wss://test.deribit.com/ws/api/v2")
 *         .retryCount(5).retryDelay(Duration.ofSeconds(2)).maxBackoff(Duration.ofMinutes(1))
 *         .heartbeat(Heartbeat.deribit(Duration.ofSeconds(30)))
 *         .build();
 * }</pre>
 *
 * {@link #toString()} masks header values, the URL's user-info and query values, and
 * credentials.
 */
public final class Config {

	/** {@link #retryCount()} meaning "never give up" (the default). */
	public static final int UNLIMITED_RETRIES = Integer.MAX_VALUE;

	private final URI url;

	private final Map<String, String> headers;

	private final List<String> subprotocols;

	private final Duration connectTimeout;

	private final int retryCount;

	private final Duration retryDelay;

	private final Duration maxBackoff;

	private final double backoffJitter;

	private final boolean reconnectOnError;

	private final boolean restoreSubscriptions;

	private final Duration requestTimeout;

	private final Duration shutdownTimeout;

	private final int maxFrameSize;

	private final boolean compression;

	private final Platform platform;

	private final List<String> subscriptions;

	private final @Nullable Credentials auth;

	private final Heartbeat heartbeat;

	private final @Nullable RateLimit rateLimit;

	private final int outboundBuffer;

	private final int inboundBuffer;

	private final @Nullable Duration maxConnectionAge;

	private final @Nullable Integer maxChannelsPerSubscribe;

	private final int maxHandshakeHeaderSize;

	private final int pingRepliesPerSecond;

	private final @Nullable Recording recording;

	private final @Nullable ConnectRateLimiter connectRate;

	private final int poolSize;

	private final int maxSubscriptionsPerConnection;

	private final @Nullable ActivationGate activationGate;

	private Config(Builder builder, URI url) {
		this.url = url;
		this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(builder.headers));
		this.subprotocols = List.copyOf(builder.subprotocols);
		this.connectTimeout = builder.connectTimeout;
		this.retryCount = builder.retryCount;
		this.retryDelay = builder.retryDelay;
		this.maxBackoff = builder.maxBackoff;
		this.backoffJitter = builder.backoffJitter;
		this.reconnectOnError = builder.reconnectOnError;
		this.restoreSubscriptions = builder.restoreSubscriptions;
		this.requestTimeout = builder.requestTimeout;
		this.shutdownTimeout = builder.shutdownTimeout;
		this.maxFrameSize = builder.maxFrameSize;
		this.compression = builder.compression;
		this.platform = builder.platform;
		this.subscriptions = List.copyOf(new LinkedHashSet<>(builder.subscriptions));
		this.auth = builder.auth;
		this.heartbeat = builder.heartbeat;
		this.rateLimit = builder.rateLimit;
		this.outboundBuffer = builder.outboundBuffer;
		this.inboundBuffer = builder.inboundBuffer;
		this.maxConnectionAge = builder.maxConnectionAge;
		this.maxChannelsPerSubscribe = builder.maxChannelsPerSubscribe;
		this.maxHandshakeHeaderSize = builder.maxHandshakeHeaderSize;
		this.pingRepliesPerSecond = builder.pingRepliesPerSecond;
		this.recording = builder.recording;
		this.connectRate = builder.connectRate;
		this.poolSize = builder.poolSize;
		this.maxSubscriptionsPerConnection = builder.maxSubscriptionsPerConnection;
		this.activationGate = builder.activationGate;
	}

	/**
	 * Start building a configuration.
	 * @param url a {@code ws://} or {@code wss://} URL with a host
	 * @return a builder with every default of the reference table
	 */
	public static Builder builder(String url) {
		return new Builder(url);
	}

	/**
	 * A builder initialised with this configuration's values.
	 * @return a builder
	 */
	public Builder toBuilder() {
		Builder builder = new Builder(this.url.toString());
		builder.headers.putAll(this.headers);
		builder.subprotocols.addAll(this.subprotocols);
		builder.subscriptions.addAll(this.subscriptions);
		return builder.connectTimeout(this.connectTimeout)
			.retryCount(this.retryCount)
			.retryDelay(this.retryDelay)
			.maxBackoff(this.maxBackoff)
			.backoffJitter(this.backoffJitter)
			.reconnectOnError(this.reconnectOnError)
			.restoreSubscriptions(this.restoreSubscriptions)
			.requestTimeout(this.requestTimeout)
			.shutdownTimeout(this.shutdownTimeout)
			.maxFrameSize(this.maxFrameSize)
			.compression(this.compression)
			.platform(this.platform)
			.auth(this.auth)
			.heartbeat(this.heartbeat)
			.rateLimit(this.rateLimit)
			.outboundBuffer(this.outboundBuffer)
			.inboundBuffer(this.inboundBuffer)
			.maxConnectionAge(this.maxConnectionAge)
			.maxChannelsPerSubscribe(this.maxChannelsPerSubscribe)
			.maxHandshakeHeaderSize(this.maxHandshakeHeaderSize)
			.pingRepliesPerSecond(this.pingRepliesPerSecond)
			.recording(this.recording)
			.connectRate(this.connectRate)
			.poolSize(this.poolSize)
			.maxSubscriptionsPerConnection(this.maxSubscriptionsPerConnection)
			.activationGate(this.activationGate);
	}

	/**
	 * @return the server URL
	 */
	public URI url() {
		return this.url;
	}

	/**
	 * The URL as logs, errors and the actuator endpoint show it: user-info and query
	 * values masked, and so is any path segment that looks like an API key (16 or more
	 * letters, digits, {@code -} or {@code _}, with both letters and digits), as in
	 * {@code wss://mainnet.example/ws/v3/******}.
	 * @return the URL with its secrets masked, safe to log and show
	 */
	public String maskedUrl() {
		return UrlMasking.mask(this.url);
	}

	/**
	 * @return the upgrade request's headers (values are secrets: never log them)
	 */
	public Map<String, String> headers() {
		return this.headers;
	}

	/**
	 * @return the {@code Sec-WebSocket-Protocol} values offered
	 */
	public List<String> subprotocols() {
		return this.subprotocols;
	}

	/**
	 * @return how long TCP + TLS + upgrade may take
	 */
	public Duration connectTimeout() {
		return this.connectTimeout;
	}

	/**
	 * @return reconnect attempts in a row before giving up; {@link #UNLIMITED_RETRIES}
	 * for never, {@code 0} for no reconnect at all
	 */
	public int retryCount() {
		return this.retryCount;
	}

	/**
	 * @return the first backoff delay
	 */
	public Duration retryDelay() {
		return this.retryDelay;
	}

	/**
	 * @return the cap of the backoff
	 */
	public Duration maxBackoff() {
		return this.maxBackoff;
	}

	/**
	 * @return the ± fraction of random jitter on each delay
	 */
	public double backoffJitter() {
		return this.backoffJitter;
	}

	/**
	 * @return whether a lost connection is reconnected
	 */
	public boolean reconnectOnError() {
		return this.reconnectOnError;
	}

	/**
	 * @return whether tracked channels are re-subscribed after each reconnect
	 */
	public boolean restoreSubscriptions() {
		return this.restoreSubscriptions;
	}

	/**
	 * @return the JSON-RPC request timeout
	 */
	public Duration requestTimeout() {
		return this.requestTimeout;
	}

	/**
	 * @return how long {@code close()} waits for the close handshake
	 */
	public Duration shutdownTimeout() {
		return this.shutdownTimeout;
	}

	/**
	 * @return the largest inbound frame, in bytes
	 */
	public int maxFrameSize() {
		return this.maxFrameSize;
	}

	/**
	 * @return whether permessage-deflate is offered
	 */
	public boolean compression() {
		return this.compression;
	}

	/**
	 * @return the platform dialect
	 */
	public Platform platform() {
		return this.platform;
	}

	/**
	 * @return channels subscribed on every connect
	 */
	public List<String> subscriptions() {
		return this.subscriptions;
	}

	/**
	 * @return the credentials for the platform's auth call, or {@code null}
	 */
	public @Nullable Credentials auth() {
		return this.auth;
	}

	/**
	 * @return the heartbeat settings
	 */
	public Heartbeat heartbeat() {
		return this.heartbeat;
	}

	/**
	 * @return the rate limit, or {@code null} for none
	 */
	public @Nullable RateLimit rateLimit() {
		return this.rateLimit;
	}

	/**
	 * @return how many frames may wait to be written
	 */
	public int outboundBuffer() {
		return this.outboundBuffer;
	}

	/**
	 * @return the per-subscriber buffer of {@code messages()} and {@code channel()}
	 */
	public int inboundBuffer() {
		return this.inboundBuffer;
	}

	/**
	 * The age at which a session is replaced, make-before-break: at nine tenths of it a
	 * second session is opened, authenticated and restored, sends and requests move to
	 * it, and only then is the old one closed with 1000. Subscribers see no gap; a
	 * message may arrive twice at the seam, except one that carries a sequence number
	 * (such as Deribit's {@code change_id}): those are delivered once each, in order.
	 * @return the age, or {@code null} when sessions are never rotated (the default)
	 */
	public @Nullable Duration maxConnectionAge() {
		return this.maxConnectionAge;
	}

	/**
	 * The most channels one subscribe or unsubscribe call carries: the
	 * {@code max-channels-per-subscribe} set, else the platform's documented cap.
	 * Restores and run-time subscribes with more are split into several calls, each
	 * through the rate limiter.
	 * @return the cap, {@link Integer#MAX_VALUE} for none
	 */
	public int maxChannelsPerSubscribe() {
		return (this.maxChannelsPerSubscribe != null) ? this.maxChannelsPerSubscribe
				: this.platform.maxChannelsPerSubscribe();
	}

	/**
	 * @return the largest total size, in bytes, of the header lines of the server's
	 * upgrade response
	 */
	public int maxHandshakeHeaderSize() {
		return this.maxHandshakeHeaderSize;
	}

	/**
	 * @return how many of the server's pings are answered per second; pings beyond it are
	 * read and dropped
	 */
	public int pingRepliesPerSecond() {
		return this.pingRepliesPerSecond;
	}

	/**
	 * @return where every frame is recorded, or {@code null} when nothing is
	 */
	public @Nullable Recording recording() {
		return this.recording;
	}

	/**
	 * The connection-attempt limiter this client shares with others.
	 * @return the limiter, or {@code null} when attempts are not limited (default)
	 */
	public @Nullable ConnectRateLimiter connectRate() {
		return this.connectRate;
	}

	/**
	 * @return the connections behind the client (default 1): channels are spread over
	 * them, requests go to the healthiest
	 */
	public int poolSize() {
		return this.poolSize;
	}

	/**
	 * @return the channels one connection may carry ({@link Integer#MAX_VALUE}, the
	 * default, for no limit)
	 */
	public int maxSubscriptionsPerConnection() {
		return this.maxSubscriptionsPerConnection;
	}

	/**
	 * @return what decides whether this instance may connect (one live connection per
	 * client across instances), or {@code null}: the client connects when started
	 */
	public @Nullable ActivationGate activationGate() {
		return this.activationGate;
	}

	@Override
	public String toString() {
		return "Config[url=" + maskedUrl() + ", headers=" + this.headers.keySet() + ", subprotocols="
				+ this.subprotocols + ", connectTimeout=" + this.connectTimeout + ", retryCount="
				+ ((this.retryCount == UNLIMITED_RETRIES) ? "unlimited" : this.retryCount) + ", retryDelay="
				+ this.retryDelay + ", maxBackoff=" + this.maxBackoff + ", backoffJitter=" + this.backoffJitter
				+ ", reconnectOnError=" + this.reconnectOnError + ", platform=" + this.platform.name()
				+ ", subscriptions=" + this.subscriptions + ", auth=" + ((this.auth != null) ? "******" : "none")
				+ ", heartbeat=" + this.heartbeat.type() + ", rateLimit=" + this.rateLimit + "]";
	}

	/**
	 * Builds a {@link Config}; every setter has the default of the reference table until
	 * called.
	 * <p>
	 * The initial values of this builder's fields are the library's defaults, in one
	 * place: Spring Boot's properties leave unset keys unset and map only what is set,
	 * and the configuration metadata and the README's table are tested against a
	 * {@code Config} built from nothing but a URL.
	 */
	public static final class Builder {

		private final String url;

		private final Map<String, String> headers = new LinkedHashMap<>();

		private final List<String> subprotocols = new ArrayList<>();

		private Duration connectTimeout = Duration.ofSeconds(5);

		private int retryCount = UNLIMITED_RETRIES;

		private Duration retryDelay = Duration.ofSeconds(1);

		private Duration maxBackoff = Duration.ofSeconds(30);

		private double backoffJitter = 0.2;

		private boolean reconnectOnError = true;

		private boolean restoreSubscriptions = true;

		private Duration requestTimeout = Duration.ofSeconds(30);

		private Duration shutdownTimeout = Duration.ofSeconds(5);

		private int maxFrameSize = 10 * 1024 * 1024;

		private boolean compression;

		private Platform platform = Platforms.jsonRpc();

		private final List<String> subscriptions = new ArrayList<>();

		private @Nullable Credentials auth;

		private Heartbeat heartbeat = Heartbeat.none();

		private @Nullable RateLimit rateLimit;

		private int outboundBuffer = 8192;

		private int inboundBuffer = 8192;

		private @Nullable Duration maxConnectionAge;

		private @Nullable Integer maxChannelsPerSubscribe;

		private int maxHandshakeHeaderSize = 8192;

		private int pingRepliesPerSecond = 100;

		private @Nullable Recording recording;

		private @Nullable ConnectRateLimiter connectRate;

		private int poolSize = 1;

		private int maxSubscriptionsPerConnection = Integer.MAX_VALUE;

		private @Nullable ActivationGate activationGate;

		private Builder(String url) {
			this.url = url;
		}

		/**
		 * Add a header to the upgrade request.
		 * @param name the header name
		 * @param value the value (kept out of logs and {@code toString()})
		 * @return this builder
		 */
		public Builder header(String name, String value) {
			this.headers.put(name, value);
			return this;
		}

		/**
		 * Add headers to the upgrade request.
		 * @param headers the headers
		 * @return this builder
		 */
		public Builder headers(Map<String, String> headers) {
			this.headers.putAll(headers);
			return this;
		}

		/**
		 * Offer subprotocols ({@code Sec-WebSocket-Protocol}).
		 * @param subprotocols the values
		 * @return this builder
		 */
		public Builder subprotocols(List<String> subprotocols) {
			this.subprotocols.addAll(subprotocols);
			return this;
		}

		/**
		 * @param connectTimeout how long TCP + TLS + upgrade may take (default 5s)
		 * @return this builder
		 */
		public Builder connectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
			return this;
		}

		/**
		 * @param retryCount reconnect attempts in a row before giving up (default
		 * unlimited; {@code 0}: never reconnect)
		 * @return this builder
		 */
		public Builder retryCount(int retryCount) {
			this.retryCount = retryCount;
			return this;
		}

		/**
		 * @param retryDelay first backoff delay; doubles each attempt (default 1s)
		 * @return this builder
		 */
		public Builder retryDelay(Duration retryDelay) {
			this.retryDelay = retryDelay;
			return this;
		}

		/**
		 * @param maxBackoff cap of the backoff, at least {@code retryDelay} (default 30s)
		 * @return this builder
		 */
		public Builder maxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
			return this;
		}

		/**
		 * @param backoffJitter ± fraction of random jitter on each delay, 0 to 1 (default
		 * 0.2)
		 * @return this builder
		 */
		public Builder backoffJitter(double backoffJitter) {
			this.backoffJitter = backoffJitter;
			return this;
		}

		/**
		 * @param reconnectOnError {@code false}: a lost connection ends in DISCONNECTED
		 * (default true)
		 * @return this builder
		 */
		public Builder reconnectOnError(boolean reconnectOnError) {
			this.reconnectOnError = reconnectOnError;
			return this;
		}

		/**
		 * @param restoreSubscriptions re-subscribe tracked channels after each reconnect
		 * (default true)
		 * @return this builder
		 */
		public Builder restoreSubscriptions(boolean restoreSubscriptions) {
			this.restoreSubscriptions = restoreSubscriptions;
			return this;
		}

		/**
		 * @param requestTimeout JSON-RPC request timeout (default 30s)
		 * @return this builder
		 */
		public Builder requestTimeout(Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
			return this;
		}

		/**
		 * @param shutdownTimeout how long {@code close()} waits for the close handshake
		 * (default 5s)
		 * @return this builder
		 */
		public Builder shutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
			return this;
		}

		/**
		 * @param maxFrameSize largest inbound frame in bytes (default 10MB)
		 * @return this builder
		 */
		public Builder maxFrameSize(int maxFrameSize) {
			this.maxFrameSize = maxFrameSize;
			return this;
		}

		/**
		 * @param compression offer permessage-deflate (default false)
		 * @return this builder
		 */
		public Builder compression(boolean compression) {
			this.compression = compression;
			return this;
		}

		/**
		 * @param platform the subscribe/unsubscribe/auth dialect (default json-rpc)
		 * @return this builder
		 */
		public Builder platform(Platform platform) {
			this.platform = platform;
			return this;
		}

		/**
		 * @param channels channels subscribed on every connect
		 * @return this builder
		 */
		public Builder subscriptions(List<String> channels) {
			this.subscriptions.addAll(channels);
			return this;
		}

		/**
		 * @param auth credentials for the platform's auth call, or {@code null}
		 * @return this builder
		 */
		public Builder auth(@Nullable Credentials auth) {
			this.auth = auth;
			return this;
		}

		/**
		 * @param heartbeat heartbeat settings (default none)
		 * @return this builder
		 */
		public Builder heartbeat(Heartbeat heartbeat) {
			this.heartbeat = heartbeat;
			return this;
		}

		/**
		 * @param rateLimit the rate limit, or {@code null} for none (default)
		 * @return this builder
		 */
		public Builder rateLimit(@Nullable RateLimit rateLimit) {
			this.rateLimit = rateLimit;
			return this;
		}

		/**
		 * @param outboundBuffer frames that may wait to be written (default 8192)
		 * @return this builder
		 */
		public Builder outboundBuffer(int outboundBuffer) {
			this.outboundBuffer = outboundBuffer;
			return this;
		}

		/**
		 * @param inboundBuffer per-subscriber buffer of inbound messages (default 8192)
		 * @return this builder
		 */
		public Builder inboundBuffer(int inboundBuffer) {
			this.inboundBuffer = inboundBuffer;
			return this;
		}

		/**
		 * Rotate each session before it reaches this age, without a gap: set it below a
		 * server's own limit (Binance ends connections at 24 hours: {@code 23h}).
		 * <pre class="code">
		 * Config.builder("wss://stream.example.com/ws").maxConnectionAge(Duration.ofHours(23)).build();
		 * </pre>
		 * @param maxConnectionAge the age (at least one second), or {@code null} to never
		 * rotate (default)
		 * @return this builder
		 * @see Config#maxConnectionAge()
		 */
		public Builder maxConnectionAge(@Nullable Duration maxConnectionAge) {
			this.maxConnectionAge = maxConnectionAge;
			return this;
		}

		/**
		 * @param maxChannelsPerSubscribe the most channels one subscribe or unsubscribe
		 * call carries, at least 1; {@code null} (default) for the platform's documented
		 * cap, if any
		 * @return this builder
		 */
		public Builder maxChannelsPerSubscribe(@Nullable Integer maxChannelsPerSubscribe) {
			this.maxChannelsPerSubscribe = maxChannelsPerSubscribe;
			return this;
		}

		/**
		 * Bound the header lines of the server's upgrade response: a larger response
		 * fails the attempt, which is retried with backoff.
		 * @param maxHandshakeHeaderSize total bytes of the response's header lines
		 * (default 8192)
		 * @return this builder
		 */
		public Builder maxHandshakeHeaderSize(int maxHandshakeHeaderSize) {
			this.maxHandshakeHeaderSize = maxHandshakeHeaderSize;
			return this;
		}

		/**
		 * Bound the pongs a server can make the client write: pings beyond this many per
		 * second, per connection, are read and dropped (RFC 6455 lets a client answer
		 * only the latest of several pings), so a ping flood costs neither writes nor
		 * reads.
		 * @param pingRepliesPerSecond pings answered per second (default 100)
		 * @return this builder
		 */
		public Builder pingRepliesPerSecond(int pingRepliesPerSecond) {
			this.pingRepliesPerSecond = pingRepliesPerSecond;
			return this;
		}

		/**
		 * @param recording record every frame sent and received, secrets masked, or
		 * {@code null} (the default) for no recording
		 * @return this builder
		 */
		public Builder recording(@Nullable Recording recording) {
			this.recording = recording;
			return this;
		}

		/**
		 * Share a limit on connection attempts with other clients, so that a mass
		 * reconnect is spread out.
		 * @param connectRate the shared limiter, or {@code null} for none (default)
		 * @return this builder
		 */
		public Builder connectRate(@Nullable ConnectRateLimiter connectRate) {
			this.connectRate = connectRate;
			return this;
		}

		/**
		 * Spread the client over several connections (an exchange's cap of channels per
		 * connection); it stays one client to its users.
		 * @param poolSize the connections (default 1)
		 * @return this builder
		 */
		public Builder poolSize(int poolSize) {
			this.poolSize = poolSize;
			return this;
		}

		/**
		 * @param maxSubscriptionsPerConnection channels one connection may carry
		 * (default: no limit); subscribing beyond {@code pool.size} times this fails
		 * @return this builder
		 */
		public Builder maxSubscriptionsPerConnection(int maxSubscriptionsPerConnection) {
			this.maxSubscriptionsPerConnection = maxSubscriptionsPerConnection;
			return this;
		}

		/**
		 * Connect only while a gate says this instance is the active one, for one live
		 * connection per client across the instances of a service. Until then the client
		 * is a standby: created, with its subscribers in place, not connected; its sends
		 * fail with {@link NotActiveException}.
		 * @param activationGate the gate, or {@code null} for none (the default)
		 * @return this builder
		 */
		public Builder activationGate(@Nullable ActivationGate activationGate) {
			this.activationGate = activationGate;
			return this;
		}

		/**
		 * Validate and build.
		 * @return the configuration
		 * @throws InvalidConfigException naming the first invalid property
		 */
		public Config build() {
			URI uri = parseUrl(this.url);
			requirePositive("connect-timeout", this.connectTimeout);
			requirePositive("retry-delay", this.retryDelay);
			requirePositive("max-backoff", this.maxBackoff);
			requirePositive("request-timeout", this.requestTimeout);
			requirePositive("shutdown-timeout", this.shutdownTimeout);
			if (this.retryCount < 0) {
				throw new InvalidConfigException("retry-count",
						"must be 0 (never reconnect) or more, or left unset for unlimited; was " + this.retryCount);
			}
			if (this.maxBackoff.compareTo(this.retryDelay) < 0) {
				throw new InvalidConfigException("max-backoff",
						"must be at least retry-delay (" + this.retryDelay + "), was " + this.maxBackoff);
			}
			if (!(this.backoffJitter >= 0 && this.backoffJitter <= 1)) {
				throw new InvalidConfigException("backoff-jitter",
						"must be between 0 and 1, was " + this.backoffJitter);
			}
			requireAtLeastOne("max-frame-size", this.maxFrameSize);
			requireAtLeastOne("outbound-buffer", this.outboundBuffer);
			requireAtLeastOne("inbound-buffer", this.inboundBuffer);
			if (this.maxConnectionAge != null && this.maxConnectionAge.compareTo(Duration.ofSeconds(1)) < 0) {
				throw new InvalidConfigException("max-connection-age",
						"must be at least 1s (leave it unset to never rotate sessions), was " + this.maxConnectionAge);
			}
			if (this.maxChannelsPerSubscribe != null) {
				requireAtLeastOne("max-channels-per-subscribe", this.maxChannelsPerSubscribe);
			}
			requireAtLeastOne("pool.size", this.poolSize);
			requireAtLeastOne("pool.max-subscriptions-per-connection", this.maxSubscriptionsPerConnection);
			if ((long) this.poolSize * this.maxSubscriptionsPerConnection < this.subscriptions.size()) {
				throw new InvalidConfigException("subscriptions",
						"has " + this.subscriptions.size() + " channels but the pool carries at most "
								+ ((long) this.poolSize * this.maxSubscriptionsPerConnection)
								+ " (pool.size x pool.max-subscriptions-per-connection); raise one of them");
			}
			requireAtLeastOne("max-handshake-header-size", this.maxHandshakeHeaderSize);
			requireAtLeastOne("ping-replies-per-second", this.pingRepliesPerSecond);
			Objects.requireNonNull(this.platform, "platform");
			Objects.requireNonNull(this.heartbeat, "heartbeat");
			this.headers.forEach(Builder::requireValidHeader);
			for (String subprotocol : this.subprotocols) {
				if (subprotocol == null || subprotocol.isEmpty()
						|| !subprotocol.chars().allMatch(Builder::isTokenChar)) {
					throw new InvalidConfigException("subprotocols",
							"'" + subprotocol + "' is not an HTTP token (letters, digits and !#$%&'*+-.^_`|~)");
				}
			}
			for (String channel : this.subscriptions) {
				if (channel == null || channel.isBlank()) {
					throw new InvalidConfigException("subscriptions", "channel names must not be empty");
				}
			}
			if (!this.subscriptions.isEmpty() && !this.platform.supportsSubscriptions()) {
				throw new InvalidConfigException("subscriptions",
						"platform '" + this.platform.name() + "' has no subscriptions: use deribit or json-rpc");
			}
			return new Config(this, uri);
		}

		private static URI parseUrl(@Nullable String url) {
			if (url == null || url.isBlank()) {
				throw new InvalidConfigException("url", "is required: a ws:// or wss:// URL with a host");
			}
			URI uri;
			try {
				uri = new URI(url.trim());
			}
			catch (URISyntaxException ex) {
				throw new InvalidConfigException("url", "is not a valid URI (" + ex.getReason() + " at index "
						+ ex.getIndex() + "): use ws://host:port/path or wss://...");
			}
			String scheme = uri.getScheme();
			if (scheme == null || !(scheme.equalsIgnoreCase("ws") || scheme.equalsIgnoreCase("wss"))) {
				throw new InvalidConfigException("url", "must use the ws:// or wss:// scheme, was '"
						+ ((scheme != null) ? scheme : "") + "' in " + UrlMasking.mask(uri));
			}
			if (uri.getHost() == null || uri.getHost().isEmpty()) {
				throw new InvalidConfigException("url",
						"must have a host, as in ws://host:port/path; was " + UrlMasking.mask(uri));
			}
			return uri;
		}

		// The upgrade request is written as text: a line break in a header would start
		// another header, or the body. The value is a secret, so the error names only the
		// header.
		private static void requireValidHeader(String name, String value) {
			if (name.isEmpty() || !name.chars().allMatch(Builder::isTokenChar)) {
				throw new InvalidConfigException("headers",
						"header name '" + name + "' is not an HTTP token (letters, digits and !#$%&'*+-.^_`|~)");
			}
			if (value.chars().anyMatch((c) -> c == '\r' || c == '\n' || c == 0)) {
				throw new InvalidConfigException("headers." + name, "must not contain line breaks or NUL characters");
			}
		}

		private static boolean isTokenChar(int c) {
			return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
					|| "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
		}

		private static void requirePositive(String property, @Nullable Duration value) {
			if (value == null || value.isNegative() || value.isZero()) {
				throw new InvalidConfigException(property, "must be a positive duration, was " + value);
			}
		}

		private static void requireAtLeastOne(String property, int value) {
			if (value < 1) {
				throw new InvalidConfigException(property, "must be at least 1, was " + value);
			}
		}

	}

}
