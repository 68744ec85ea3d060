package io.websockex.adapter.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of websockex: one entry under {@code websockex.clients} per
 * client.
 *
 * <pre>{@code
 * websockex:
 *   clients:
 *     deribit:
 *       url: wss://test.deribit.com/ws/api/v2
 *       platform: deribit
 *       heartbeat:
 *         type: deribit
 *         interval: 30s
 * }</pre>
 */
@ConfigurationProperties("websockex")
public class WebsockexProperties {

	/**
	 * Default lifecycle phase of a client: it starts before and stops after the embedded
	 * web server (whose phases are {@code Integer.MAX_VALUE - 1024} and
	 * {@code Integer.MAX_VALUE - 2048}), so requests still being served can use it.
	 */
	public static final int DEFAULT_PHASE = Integer.MAX_VALUE - 4096;

	/**
	 * Whether websockex clients are auto-configured.
	 */
	private boolean enabled = true;

	/**
	 * Named clients, in configuration order.
	 */
	private Map<String, Client> clients = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Map<String, Client> getClients() {
		return this.clients;
	}

	public void setClients(Map<String, Client> clients) {
		this.clients = new LinkedHashMap<>(clients);
	}

	/**
	 * One named client.
	 */
	public static class Client {

		/**
		 * Server URL: ws:// or wss:// with a host.
		 */
		private @Nullable String url;

		/**
		 * Headers of the upgrade request (values are secrets: never logged).
		 */
		private Map<String, String> headers = new LinkedHashMap<>();

		/**
		 * Sec-WebSocket-Protocol values offered to the server.
		 */
		private List<String> subprotocols = new ArrayList<>();

		/**
		 * How long TCP connect, TLS handshake and WebSocket upgrade may take together.
		 */
		private Duration connectTimeout = Duration.ofSeconds(5);

		/**
		 * Reconnect attempts in a row before giving up; unset means unlimited, 0 means
		 * never reconnect.
		 */
		private @Nullable Integer retryCount;

		/**
		 * First backoff delay between reconnect attempts; doubles each attempt.
		 */
		private Duration retryDelay = Duration.ofSeconds(1);

		/**
		 * Cap of the backoff delay; at least retry-delay.
		 */
		private Duration maxBackoff = Duration.ofSeconds(30);

		/**
		 * Fraction of random jitter (plus or minus) applied to each backoff delay, 0 to
		 * 1.
		 */
		private double backoffJitter = 0.2;

		/**
		 * Whether a lost connection is reconnected; false ends in DISCONNECTED.
		 */
		private boolean reconnectOnError = true;

		/**
		 * Whether tracked channels are re-subscribed after each reconnect.
		 */
		private boolean restoreSubscriptions = true;

		/**
		 * How long a JSON-RPC request waits for its response.
		 */
		private Duration requestTimeout = Duration.ofSeconds(30);

		/**
		 * Whether the client connects when the application context starts.
		 */
		private boolean autoStartup = true;

		/**
		 * Whether the application context fails to start when the first connection fails
		 * (waits at most connect-timeout).
		 */
		private boolean failFast = false;

		/**
		 * How long stopping the client waits for the close handshake.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(5);

		/**
		 * Largest inbound frame; larger frames are an error, not a crash.
		 */
		private DataSize maxFrameSize = DataSize.ofMegabytes(10);

		/**
		 * Whether permessage-deflate compression is offered.
		 */
		private boolean compression = false;

		/**
		 * Subscribe/unsubscribe/auth dialect of the server: deribit, json-rpc or raw.
		 */
		private String platform = "json-rpc";

		/**
		 * Channels subscribed on every connect.
		 */
		private List<String> subscriptions = new ArrayList<>();

		/**
		 * Lifecycle phase: clients start in ascending and stop in descending phase order.
		 */
		private int phase = DEFAULT_PHASE;

		/**
		 * TLS settings.
		 */
		private final Ssl ssl = new Ssl();

		/**
		 * Credentials for the platform's auth call after each (re)connect.
		 */
		private final Auth auth = new Auth();

		/**
		 * Dead-connection detection.
		 */
		private final Heartbeat heartbeat = new Heartbeat();

		/**
		 * Outbound rate limiting.
		 */
		private final RateLimit rateLimit = new RateLimit();

		/**
		 * Frames that may wait to be written; beyond it a send fails with
		 * BufferOverflowException.
		 */
		private int outboundBuffer = 8192;

		/**
		 * Per-subscriber buffer of inbound messages; a subscriber that falls further
		 * behind is terminated with BufferOverflowException.
		 */
		private int inboundBuffer = 8192;

		/**
		 * Most channels one subscribe or unsubscribe call carries; restores and
		 * subscribes with more are split into several calls, each paced by the rate
		 * limit. Unset: the platform's documented cap, if any.
		 */
		private @Nullable Integer maxChannelsPerSubscribe;

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

		public Map<String, String> getHeaders() {
			return this.headers;
		}

		public void setHeaders(Map<String, String> headers) {
			this.headers = headers;
		}

		public List<String> getSubprotocols() {
			return this.subprotocols;
		}

		public void setSubprotocols(List<String> subprotocols) {
			this.subprotocols = subprotocols;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public @Nullable Integer getRetryCount() {
			return this.retryCount;
		}

		public void setRetryCount(@Nullable Integer retryCount) {
			this.retryCount = retryCount;
		}

		public Duration getRetryDelay() {
			return this.retryDelay;
		}

		public void setRetryDelay(Duration retryDelay) {
			this.retryDelay = retryDelay;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public double getBackoffJitter() {
			return this.backoffJitter;
		}

		public void setBackoffJitter(double backoffJitter) {
			this.backoffJitter = backoffJitter;
		}

		public boolean isReconnectOnError() {
			return this.reconnectOnError;
		}

		public void setReconnectOnError(boolean reconnectOnError) {
			this.reconnectOnError = reconnectOnError;
		}

		public boolean isRestoreSubscriptions() {
			return this.restoreSubscriptions;
		}

		public void setRestoreSubscriptions(boolean restoreSubscriptions) {
			this.restoreSubscriptions = restoreSubscriptions;
		}

		public Duration getRequestTimeout() {
			return this.requestTimeout;
		}

		public void setRequestTimeout(Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
		}

		public boolean isAutoStartup() {
			return this.autoStartup;
		}

		public void setAutoStartup(boolean autoStartup) {
			this.autoStartup = autoStartup;
		}

		public boolean isFailFast() {
			return this.failFast;
		}

		public void setFailFast(boolean failFast) {
			this.failFast = failFast;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		public DataSize getMaxFrameSize() {
			return this.maxFrameSize;
		}

		public void setMaxFrameSize(DataSize maxFrameSize) {
			this.maxFrameSize = maxFrameSize;
		}

		public boolean isCompression() {
			return this.compression;
		}

		public void setCompression(boolean compression) {
			this.compression = compression;
		}

		public String getPlatform() {
			return this.platform;
		}

		public void setPlatform(String platform) {
			this.platform = platform;
		}

		public List<String> getSubscriptions() {
			return this.subscriptions;
		}

		public void setSubscriptions(List<String> subscriptions) {
			this.subscriptions = subscriptions;
		}

		public int getPhase() {
			return this.phase;
		}

		public void setPhase(int phase) {
			this.phase = phase;
		}

		public Ssl getSsl() {
			return this.ssl;
		}

		public Auth getAuth() {
			return this.auth;
		}

		public Heartbeat getHeartbeat() {
			return this.heartbeat;
		}

		public RateLimit getRateLimit() {
			return this.rateLimit;
		}

		public int getOutboundBuffer() {
			return this.outboundBuffer;
		}

		public void setOutboundBuffer(int outboundBuffer) {
			this.outboundBuffer = outboundBuffer;
		}

		public int getInboundBuffer() {
			return this.inboundBuffer;
		}

		public void setInboundBuffer(int inboundBuffer) {
			this.inboundBuffer = inboundBuffer;
		}

		public @Nullable Integer getMaxChannelsPerSubscribe() {
			return this.maxChannelsPerSubscribe;
		}

		public void setMaxChannelsPerSubscribe(@Nullable Integer maxChannelsPerSubscribe) {
			this.maxChannelsPerSubscribe = maxChannelsPerSubscribe;
		}

	}

	/**
	 * TLS settings of a client.
	 */
	public static class Ssl {

		/**
		 * Name of a Spring Boot SSL bundle (spring.ssl.bundle.*) providing the trust
		 * store and the client certificate.
		 */
		private @Nullable String bundle;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

	/**
	 * Credentials of a client.
	 */
	public static class Auth {

		/**
		 * Client id for the platform's auth call.
		 */
		private @Nullable String clientId;

		/**
		 * Client secret for the platform's auth call; never logged or shown.
		 */
		private @Nullable String clientSecret;

		/**
		 * How the client proves who it is: client-credentials (sends the secret) or
		 * client-signature (sends an HMAC-SHA256 signature; the secret never leaves the
		 * process). Unset: client-credentials.
		 */
		private @Nullable String method;

		/**
		 * Fraction of the token's life (the auth answer's expires_in) after which it is
		 * refreshed on the live connection, above 0 and below 1. Unset: 0.8.
		 */
		private @Nullable Double refreshAt;

		public @Nullable String getClientId() {
			return this.clientId;
		}

		public void setClientId(@Nullable String clientId) {
			this.clientId = clientId;
		}

		public @Nullable String getClientSecret() {
			return this.clientSecret;
		}

		public void setClientSecret(@Nullable String clientSecret) {
			this.clientSecret = clientSecret;
		}

		public @Nullable String getMethod() {
			return this.method;
		}

		public void setMethod(@Nullable String method) {
			this.method = method;
		}

		public @Nullable Double getRefreshAt() {
			return this.refreshAt;
		}

		public void setRefreshAt(@Nullable Double refreshAt) {
			this.refreshAt = refreshAt;
		}

	}

	/**
	 * Heartbeat settings of a client.
	 */
	public static class Heartbeat {

		/**
		 * Heartbeat strategy: none, ping (WebSocket ping frames), deribit, or text.
		 */
		private String type = "none";

		/**
		 * How often a heartbeat is sent or expected.
		 */
		private Duration interval = Duration.ofSeconds(30);

		/**
		 * How long a reply may take before it counts as a failure.
		 */
		private Duration timeout = Duration.ofSeconds(10);

		/**
		 * Consecutive failures that declare the connection dead (then it reconnects).
		 */
		private int maxFailures = 2;

		/**
		 * Payload of text heartbeats.
		 */
		private @Nullable String message;

		/**
		 * Inbound silence after which the session is closed as dead and reconnected,
		 * whatever the type; unset means off.
		 */
		private @Nullable Duration idleTimeout;

		public String getType() {
			return this.type;
		}

		public void setType(String type) {
			this.type = type;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public int getMaxFailures() {
			return this.maxFailures;
		}

		public void setMaxFailures(int maxFailures) {
			this.maxFailures = maxFailures;
		}

		public @Nullable String getMessage() {
			return this.message;
		}

		public void setMessage(@Nullable String message) {
			this.message = message;
		}

		public @Nullable Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(@Nullable Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

	}

	/**
	 * Rate-limit settings of a client: a token bucket, off unless capacity is set.
	 */
	public static class RateLimit {

		/**
		 * Token bucket size (the burst); unset means no rate limit.
		 */
		private @Nullable Integer capacity;

		/**
		 * Tokens added per refill-interval; unset means equal to capacity.
		 */
		private @Nullable Integer refillRate;

		/**
		 * Refill period of the token bucket.
		 */
		private Duration refillInterval = Duration.ofSeconds(1);

		/**
		 * Cost function: simple (1 per message), deribit (credits by method), or binance
		 * (weights).
		 */
		private String cost = "simple";

		/**
		 * Sends that may wait for tokens; beyond it a send fails with
		 * RateLimitExceededException.
		 */
		private int maxQueue = 100;

		/**
		 * Per-method costs merged over the cost function's table, as in
		 * costs."[private/buy]": 2500 (brackets keep the slashes and dots of a method
		 * name).
		 */
		private Map<String, Integer> costs = new LinkedHashMap<>();

		public @Nullable Integer getCapacity() {
			return this.capacity;
		}

		public void setCapacity(@Nullable Integer capacity) {
			this.capacity = capacity;
		}

		public @Nullable Integer getRefillRate() {
			return this.refillRate;
		}

		public void setRefillRate(@Nullable Integer refillRate) {
			this.refillRate = refillRate;
		}

		public Duration getRefillInterval() {
			return this.refillInterval;
		}

		public void setRefillInterval(Duration refillInterval) {
			this.refillInterval = refillInterval;
		}

		public String getCost() {
			return this.cost;
		}

		public void setCost(String cost) {
			this.cost = cost;
		}

		public int getMaxQueue() {
			return this.maxQueue;
		}

		public void setMaxQueue(int maxQueue) {
			this.maxQueue = maxQueue;
		}

		public Map<String, Integer> getCosts() {
			return this.costs;
		}

		public void setCosts(Map<String, Integer> costs) {
			this.costs = costs;
		}

	}

}
