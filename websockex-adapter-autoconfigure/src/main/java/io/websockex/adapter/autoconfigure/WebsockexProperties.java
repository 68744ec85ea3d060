package io.websockex.adapter.autoconfigure;

import java.nio.file.Path;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.websockex.adapter.Config;
import io.websockex.adapter.autoconfigure.cluster.ClusterMode;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of websockex: one entry under {@code websockex.clients} per
 * client, and {@code websockex.defaults} that every entry inherits key by key.
 *
 * <pre>{@code
 * websockex:
 *   defaults:
 *     retry-delay: 2s
 *     heartbeat:
 *       type: ping
 *   clients:
 *     deribit:
 *       url: wss://test.deribit.com/ws/api/v2
 *       platform: deribit
 *       heartbeat:
 *         type: deribit      # overrides the default type; interval etc. still inherited
 * }</pre>
 *
 * A key left unset here is unset in the client's entry too: the value then comes from
 * {@code websockex.defaults}, and failing that from {@link Config.Builder} (the one place
 * where the library's defaults live) or, for the keys only Spring knows about
 * ({@code auto-startup}, {@code fail-fast}, {@code phase}), from the constants of this
 * class. Unknown keys under {@code websockex} fail start-up: every key of the
 * {@code websockex} tree must be declared here.
 */
@ConfigurationProperties(prefix = "websockex", ignoreUnknownFields = false)
public class WebsockexProperties {

	/**
	 * Default lifecycle phase of a client: it starts before and stops after the embedded
	 * web server (whose phases are {@code Integer.MAX_VALUE - 1024} and
	 * {@code Integer.MAX_VALUE - 2048}), so requests still being served can use it.
	 */
	public static final int DEFAULT_PHASE = Integer.MAX_VALUE - 4096;

	/** Default of {@code auto-startup}: a client connects when the context starts. */
	public static final boolean DEFAULT_AUTO_STARTUP = true;

	/**
	 * Default of {@code fail-fast}: the context starts even if a client cannot connect.
	 */
	public static final boolean DEFAULT_FAIL_FAST = false;

	/**
	 * Whether websockex clients are auto-configured.
	 */
	private boolean enabled = true;

	/**
	 * Settings every client inherits; a client's own value of a key wins.
	 */
	private final ClientSettings defaults = new ClientSettings();

	/**
	 * Named clients, in configuration order.
	 */
	private Map<String, Client> clients = new LinkedHashMap<>();

	/**
	 * Leader election of the clients with cluster: single-active.
	 */
	private final Cluster cluster = new Cluster();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public ClientSettings getDefaults() {
		return this.defaults;
	}

	public Map<String, Client> getClients() {
		return this.clients;
	}

	public void setClients(Map<String, Client> clients) {
		this.clients = new LinkedHashMap<>(clients);
	}

	public Cluster getCluster() {
		return this.cluster;
	}

	/**
	 * Leader election of the clients with {@code cluster: single-active}, shared by all
	 * of them.
	 */
	public static class Cluster {

		/**
		 * Time-to-live of a client's leadership lock: how long after its last renewal a
		 * lost leader's lock expires for the other instances. Must match the
		 * LockRegistry's own (the JdbcLockRegistry websockex makes uses this value).
		 */
		private Duration lockTtl = Duration.ofSeconds(10);

		/**
		 * How often the leader renews its lock and a standby tries to take it. At most a
		 * third of lock-ttl: a leader that has not renewed for half of lock-ttl
		 * disconnects, before the lock can expire for the others.
		 */
		private Duration renewalInterval = Duration.ofSeconds(1);

		public Duration getLockTtl() {
			return this.lockTtl;
		}

		public void setLockTtl(Duration lockTtl) {
			this.lockTtl = lockTtl;
		}

		public Duration getRenewalInterval() {
			return this.renewalInterval;
		}

		public void setRenewalInterval(Duration renewalInterval) {
			this.renewalInterval = renewalInterval;
		}

	}

	/**
	 * Limit on connection attempts shared by every client, so that a mass reconnect is
	 * spread out.
	 */
	private final ConnectRate connectRate = new ConnectRate();

	public ConnectRate getConnectRate() {
		return this.connectRate;
	}

	/**
	 * A limit on connection attempts shared by all clients (run-time ones included): one
	 * attempt every {@code interval / attempts}, so never more than {@code attempts} in
	 * any window of {@code interval}; the rest wait in a queue.
	 */
	public static class ConnectRate {

		/**
		 * Connection attempts allowed in any window of 'interval', across all clients;
		 * unset means no limit.
		 */
		private @Nullable Integer attempts;

		/**
		 * The window of 'attempts'.
		 */
		private Duration interval = Duration.ofSeconds(1);

		/**
		 * Clients that may wait for their turn; beyond it an attempt fails at once and
		 * backs off.
		 */
		private int maxQueue = 100_000;

		public @Nullable Integer getAttempts() {
			return this.attempts;
		}

		public void setAttempts(@Nullable Integer attempts) {
			this.attempts = attempts;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public int getMaxQueue() {
			return this.maxQueue;
		}

		public void setMaxQueue(int maxQueue) {
			this.maxQueue = maxQueue;
		}

	}

	/**
	 * One named client: its URL and its own value of any setting.
	 */
	public static class Client extends ClientSettings {

		/**
		 * Server URL: ws:// or wss:// with a host.
		 */
		private @Nullable String url;

		public @Nullable String getUrl() {
			return this.url;
		}

		public void setUrl(@Nullable String url) {
			this.url = url;
		}

	}

	/**
	 * Every setting of a client except its URL: the type of {@code websockex.defaults}
	 * and the base of each {@code websockex.clients} entry. Fields are {@code null} until
	 * set, so that an unset key falls back to the defaults and then to {@link Config}.
	 */
	public static class ClientSettings {

		/**
		 * Headers of the upgrade request (values are secrets: never logged). Merged per
		 * header name with the defaults' headers.
		 */
		private Map<String, String> headers = new LinkedHashMap<>();

		/**
		 * Sec-WebSocket-Protocol values offered to the server.
		 */
		private @Nullable List<String> subprotocols;

		/**
		 * How long TCP connect, TLS handshake and WebSocket upgrade may take together.
		 */
		private @Nullable Duration connectTimeout;

		/**
		 * Reconnect attempts in a row before giving up; unset means unlimited, 0 means
		 * never reconnect.
		 */
		private @Nullable Integer retryCount;

		/**
		 * First backoff delay between reconnect attempts; doubles each attempt.
		 */
		private @Nullable Duration retryDelay;

		/**
		 * Cap of the backoff delay; at least retry-delay.
		 */
		private @Nullable Duration maxBackoff;

		/**
		 * Fraction of random jitter (plus or minus) applied to each backoff delay, 0 to
		 * 1.
		 */
		private @Nullable Double backoffJitter;

		/**
		 * Whether a lost connection is reconnected; false ends in DISCONNECTED.
		 */
		private @Nullable Boolean reconnectOnError;

		/**
		 * Whether tracked channels are re-subscribed after each reconnect.
		 */
		private @Nullable Boolean restoreSubscriptions;

		/**
		 * How long a JSON-RPC request waits for its response.
		 */
		private @Nullable Duration requestTimeout;

		/**
		 * Whether the client connects when the application context starts.
		 */
		private @Nullable Boolean autoStartup;

		/**
		 * Whether the application context fails to start when the first connection fails
		 * (waits at most connect-timeout).
		 */
		private @Nullable Boolean failFast;

		/**
		 * How long stopping the client waits for the close handshake.
		 */
		private @Nullable Duration shutdownTimeout;

		/**
		 * Largest inbound frame; larger frames are an error, not a crash.
		 */
		private @Nullable DataSize maxFrameSize;

		/**
		 * Whether permessage-deflate compression is offered.
		 */
		private @Nullable Boolean compression;

		/**
		 * Subscribe/unsubscribe/auth dialect of the server: deribit, json-rpc or raw.
		 */
		private @Nullable String platform;

		/**
		 * Channels subscribed on every connect.
		 */
		private @Nullable List<String> subscriptions;

		/**
		 * Lifecycle phase: clients start in ascending and stop in descending phase order.
		 */
		private @Nullable Integer phase;

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
		 * Connections behind the client, with channels spread over them.
		 */
		private final Pool pool = new Pool();

		/**
		 * Recording of every frame sent and received, for replay in tests.
		 */
		private final Recording recording = new Recording();

		/**
		 * Frames that may wait to be written; beyond it a send fails with
		 * BufferOverflowException.
		 */
		private @Nullable Integer outboundBuffer;

		/**
		 * Per-subscriber buffer of inbound messages; a subscriber that falls further
		 * behind is terminated with BufferOverflowException.
		 */
		private @Nullable Integer inboundBuffer;

		/**
		 * Replace each session before this age, without a gap: at nine tenths of it a
		 * second session is connected, authenticated and restored, takes over sends and
		 * requests, and only then is the old one closed with 1000. Set it below a
		 * server's own limit (Binance: 24h). Unset: sessions are never rotated.
		 */
		private @Nullable Duration maxConnectionAge;

		/**
		 * Largest total size of the header lines of the server's upgrade response; a
		 * larger response fails the attempt, which is retried with backoff.
		 */
		private @Nullable DataSize maxHandshakeHeaderSize;

		/**
		 * Most channels one subscribe or unsubscribe call carries; restores and
		 * subscribes with more are split into several calls, each paced by the rate
		 * limit. Unset: the platform's documented cap, if any.
		 */
		private @Nullable Integer maxChannelsPerSubscribe;

		/**
		 * Server pings answered per second on one connection; pings beyond it are read
		 * and dropped, so a ping flood can neither pile up pongs nor starve reads.
		 */
		private @Nullable Integer pingRepliesPerSecond;

		/**
		 * How the client behaves when the service runs as several instances: none (each
		 * connects) or single-active (only the instance holding the client's leadership
		 * connects; the others stand by). Unset means none. Needs Spring Integration and
		 * a LockRegistry; timings under websockex.cluster.
		 */
		private @Nullable ClusterMode cluster;

		public Map<String, String> getHeaders() {
			return this.headers;
		}

		public void setHeaders(Map<String, String> headers) {
			this.headers = headers;
		}

		public @Nullable List<String> getSubprotocols() {
			return this.subprotocols;
		}

		public void setSubprotocols(@Nullable List<String> subprotocols) {
			this.subprotocols = subprotocols;
		}

		public @Nullable Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(@Nullable Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public @Nullable Integer getRetryCount() {
			return this.retryCount;
		}

		public void setRetryCount(@Nullable Integer retryCount) {
			this.retryCount = retryCount;
		}

		public @Nullable Duration getRetryDelay() {
			return this.retryDelay;
		}

		public void setRetryDelay(@Nullable Duration retryDelay) {
			this.retryDelay = retryDelay;
		}

		public @Nullable Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(@Nullable Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public @Nullable Double getBackoffJitter() {
			return this.backoffJitter;
		}

		public void setBackoffJitter(@Nullable Double backoffJitter) {
			this.backoffJitter = backoffJitter;
		}

		public @Nullable Boolean getReconnectOnError() {
			return this.reconnectOnError;
		}

		public void setReconnectOnError(@Nullable Boolean reconnectOnError) {
			this.reconnectOnError = reconnectOnError;
		}

		public @Nullable Boolean getRestoreSubscriptions() {
			return this.restoreSubscriptions;
		}

		public void setRestoreSubscriptions(@Nullable Boolean restoreSubscriptions) {
			this.restoreSubscriptions = restoreSubscriptions;
		}

		public @Nullable Duration getRequestTimeout() {
			return this.requestTimeout;
		}

		public void setRequestTimeout(@Nullable Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
		}

		public @Nullable Boolean getAutoStartup() {
			return this.autoStartup;
		}

		public void setAutoStartup(@Nullable Boolean autoStartup) {
			this.autoStartup = autoStartup;
		}

		public @Nullable Boolean getFailFast() {
			return this.failFast;
		}

		public void setFailFast(@Nullable Boolean failFast) {
			this.failFast = failFast;
		}

		public @Nullable Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(@Nullable Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		public @Nullable DataSize getMaxFrameSize() {
			return this.maxFrameSize;
		}

		public void setMaxFrameSize(@Nullable DataSize maxFrameSize) {
			this.maxFrameSize = maxFrameSize;
		}

		public @Nullable Boolean getCompression() {
			return this.compression;
		}

		public void setCompression(@Nullable Boolean compression) {
			this.compression = compression;
		}

		public @Nullable String getPlatform() {
			return this.platform;
		}

		public void setPlatform(@Nullable String platform) {
			this.platform = platform;
		}

		public @Nullable List<String> getSubscriptions() {
			return this.subscriptions;
		}

		public void setSubscriptions(@Nullable List<String> subscriptions) {
			this.subscriptions = subscriptions;
		}

		public @Nullable Integer getPhase() {
			return this.phase;
		}

		public void setPhase(@Nullable Integer phase) {
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

		public Pool getPool() {
			return this.pool;
		}

		public Recording getRecording() {
			return this.recording;
		}

		public @Nullable Integer getOutboundBuffer() {
			return this.outboundBuffer;
		}

		public void setOutboundBuffer(@Nullable Integer outboundBuffer) {
			this.outboundBuffer = outboundBuffer;
		}

		public @Nullable Integer getInboundBuffer() {
			return this.inboundBuffer;
		}

		public void setInboundBuffer(@Nullable Integer inboundBuffer) {
			this.inboundBuffer = inboundBuffer;
		}

		public @Nullable Duration getMaxConnectionAge() {
			return this.maxConnectionAge;
		}

		public void setMaxConnectionAge(@Nullable Duration maxConnectionAge) {
			this.maxConnectionAge = maxConnectionAge;
		}

		public @Nullable Integer getMaxChannelsPerSubscribe() {
			return this.maxChannelsPerSubscribe;
		}

		public void setMaxChannelsPerSubscribe(@Nullable Integer maxChannelsPerSubscribe) {
			this.maxChannelsPerSubscribe = maxChannelsPerSubscribe;
		}

		public @Nullable DataSize getMaxHandshakeHeaderSize() {
			return this.maxHandshakeHeaderSize;
		}

		public void setMaxHandshakeHeaderSize(@Nullable DataSize maxHandshakeHeaderSize) {
			this.maxHandshakeHeaderSize = maxHandshakeHeaderSize;
		}

		public @Nullable Integer getPingRepliesPerSecond() {
			return this.pingRepliesPerSecond;
		}

		public void setPingRepliesPerSecond(@Nullable Integer pingRepliesPerSecond) {
			this.pingRepliesPerSecond = pingRepliesPerSecond;
		}

		public @Nullable ClusterMode getCluster() {
			return this.cluster;
		}

		public void setCluster(@Nullable ClusterMode cluster) {
			this.cluster = cluster;
		}

	}

	/**
	 * The connections behind one client: channels are placed on the one with the most
	 * room, requests go to the healthiest connected one.
	 */
	public static class Pool {

		/**
		 * Connections behind the client (default 1).
		 */
		private @Nullable Integer size;

		/**
		 * Channels one connection may carry (default: no limit); subscribing beyond size
		 * times this fails.
		 */
		private @Nullable Integer maxSubscriptionsPerConnection;

		public @Nullable Integer getSize() {
			return this.size;
		}

		public void setSize(@Nullable Integer size) {
			this.size = size;
		}

		public @Nullable Integer getMaxSubscriptionsPerConnection() {
			return this.maxSubscriptionsPerConnection;
		}

		public void setMaxSubscriptionsPerConnection(@Nullable Integer maxSubscriptionsPerConnection) {
			this.maxSubscriptionsPerConnection = maxSubscriptionsPerConnection;
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
	 * Recording settings of a client.
	 */
	public static class Recording {

		/**
		 * File that receives every frame the client sends and receives, as JSON Lines
		 * (time, direction, text or base64 binary) with secrets masked; replayed by
		 * websockex-adapter-test's WebsockexTestServer.replay(path). Off when unset.
		 */
		private @Nullable Path path;

		/**
		 * Size the file may reach before it rotates (file becomes file.1).
		 */
		private @Nullable DataSize maxFileSize;

		/**
		 * Rotated files kept.
		 */
		private @Nullable Integer maxFiles;

		public @Nullable Path getPath() {
			return this.path;
		}

		public void setPath(@Nullable Path path) {
			this.path = path;
		}

		public @Nullable DataSize getMaxFileSize() {
			return this.maxFileSize;
		}

		public void setMaxFileSize(@Nullable DataSize maxFileSize) {
			this.maxFileSize = maxFileSize;
		}

		public @Nullable Integer getMaxFiles() {
			return this.maxFiles;
		}

		public void setMaxFiles(@Nullable Integer maxFiles) {
			this.maxFiles = maxFiles;
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
		private @Nullable String type;

		/**
		 * How often a heartbeat is sent or expected.
		 */
		private @Nullable Duration interval;

		/**
		 * How long a reply may take before it counts as a failure.
		 */
		private @Nullable Duration timeout;

		/**
		 * Consecutive failures that declare the connection dead (then it reconnects).
		 */
		private @Nullable Integer maxFailures;

		/**
		 * Payload of text heartbeats.
		 */
		private @Nullable String message;

		/**
		 * Inbound silence after which the session is closed as dead and reconnected,
		 * whatever the type; unset means off.
		 */
		private @Nullable Duration idleTimeout;

		public @Nullable String getType() {
			return this.type;
		}

		public void setType(@Nullable String type) {
			this.type = type;
		}

		public @Nullable Duration getInterval() {
			return this.interval;
		}

		public void setInterval(@Nullable Duration interval) {
			this.interval = interval;
		}

		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

		public @Nullable Integer getMaxFailures() {
			return this.maxFailures;
		}

		public void setMaxFailures(@Nullable Integer maxFailures) {
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
		private @Nullable Duration refillInterval;

		/**
		 * Cost function: simple (1 per message), deribit (credits by method), or binance
		 * (weights).
		 */
		private @Nullable String cost;

		/**
		 * Sends that may wait for tokens; beyond it a send fails with
		 * RateLimitExceededException.
		 */
		private @Nullable Integer maxQueue;

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

		public @Nullable Duration getRefillInterval() {
			return this.refillInterval;
		}

		public void setRefillInterval(@Nullable Duration refillInterval) {
			this.refillInterval = refillInterval;
		}

		public @Nullable String getCost() {
			return this.cost;
		}

		public void setCost(@Nullable String cost) {
			this.cost = cost;
		}

		public @Nullable Integer getMaxQueue() {
			return this.maxQueue;
		}

		public void setMaxQueue(@Nullable Integer maxQueue) {
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
