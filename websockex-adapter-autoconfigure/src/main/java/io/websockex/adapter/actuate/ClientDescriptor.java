package io.websockex.adapter.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.websockex.adapter.ClientMetrics;
import io.websockex.adapter.ClusterRole;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.HeartbeatHealth;
import io.websockex.adapter.Latency;
import io.websockex.adapter.WebsockexClient;
import org.jspecify.annotations.Nullable;

/**
 * What the {@code websockex} endpoint shows of one client. Built only from the masked URL
 * and the client's snapshots: header values and credentials are not reachable from here.
 *
 * @param state the connection state
 * @param url the URL, user-info and query values masked
 * @param connectedSince when the current session opened
 * @param reconnects sessions opened after the first
 * @param currentAttempt failed attempts in a row since the last success
 * @param connectionAttempts attempts in total
 * @param disconnectReason why the client is disconnected, when it is
 * @param lastError the last error
 * @param lastErrorAt when it happened
 * @param subscriptions tracked channels
 * @param pendingRequests requests awaiting their response
 * @param messages frames received and sent
 * @param bytes payload bytes received and sent
 * @param inboundOverflows subscribers terminated for falling behind
 * @param inboundRejected sessions closed over bad input from the server, by kind
 * @param heartbeat heartbeat health
 * @param rateLimit rate limiter figures, when a rate limit is configured
 * @param role {@code active} or {@code standby} for a client with {@code cluster:
 * single-active}, else {@code null}
 * @param activeSince since when this instance is the active one, when it is
 * @param members each connection of a pool ({@code pool.size} above 1), by member name
 * @param rotations planned session replacements ({@code max-connection-age}), apart from
 * {@code reconnects}, which count failures
 * @param latency request and heartbeat round-trip percentiles
 * @param authenticatedUntil until when the server holds the session authenticated (its
 * last auth or token refresh answer), when it said; never a token value
 */
public record ClientDescriptor(ConnectionState state, String url, @Nullable Instant connectedSince, long reconnects,
		int currentAttempt, long connectionAttempts, @Nullable String disconnectReason, @Nullable String lastError,
		@Nullable Instant lastErrorAt, Subscriptions subscriptions, int pendingRequests, Traffic messages,
		Traffic bytes, long inboundOverflows, InboundRejected inboundRejected, Heartbeat heartbeat,
		@Nullable RateLimit rateLimit, @Nullable String role, @Nullable Instant activeSince,
		@Nullable Map<String, Member> members, Rotations rotations, Latencies latency,
		@Nullable Instant authenticatedUntil) {

	static ClientDescriptor of(WebsockexClient client) {
		ClientMetrics metrics = client.metrics();
		HeartbeatHealth heartbeat = client.heartbeatHealth();
		List<String> channels = List.copyOf(client.subscriptions());
		Duration rtt = heartbeat.lastRoundTrip();
		return new ClientDescriptor(metrics.state(), client.config().maskedUrl(), metrics.connectedSince(),
				metrics.reconnects(), metrics.currentAttempt(), metrics.connectionAttempts(),
				(metrics.state() == ConnectionState.DISCONNECTED) ? metrics.disconnectReason().name() : null,
				metrics.lastError(), metrics.lastErrorAt(), new Subscriptions(channels.size(), channels),
				metrics.pendingRequests(), new Traffic(metrics.messagesReceived(), metrics.messagesSent()),
				new Traffic(metrics.bytesReceived(), metrics.bytesSent()), metrics.inboundOverflows(),
				new InboundRejected(metrics.inboundTooLarge(), metrics.protocolErrors()),
				new Heartbeat(heartbeat.type().name().toLowerCase(java.util.Locale.ROOT), heartbeat.active(),
						heartbeat.lastSent(), heartbeat.lastReceived(), heartbeat.consecutiveFailures(),
						heartbeat.totalFailures(), (rtt != null) ? rtt.toNanos() / 1e6 : null),
				(client.config().rateLimit() != null) ? new RateLimit(metrics.rateLimitTokens(),
						metrics.rateLimitQueued(), metrics.rateLimitRejected()) : null,
				roleOf(client), client.activeSince(), members(client),
				new Rotations(Rotations.age(client.config().maxConnectionAge()), metrics.rotations(),
						metrics.lastRotationAt()),
				new Latencies(Percentiles.of(metrics.requestLatency()), Percentiles.of(metrics.heartbeatLatency())),
				client.authenticatedUntil());
	}

	static @Nullable String roleOf(WebsockexClient client) {
		ClusterRole role = client.role();
		return (role != ClusterRole.NONE) ? role.name().toLowerCase(java.util.Locale.ROOT) : null;
	}

	private static @Nullable Map<String, Member> members(WebsockexClient client) {
		List<WebsockexClient> members = client.members();
		if (members.isEmpty()) {
			return null;
		}
		Map<String, Member> result = new LinkedHashMap<>();
		for (WebsockexClient member : members) {
			ClientMetrics metrics = member.metrics();
			result.put(member.name(),
					new Member(metrics.state(), member.healthScore(), metrics.connectedSince(), metrics.reconnects(),
							metrics.currentAttempt(), member.subscriptions().size(), metrics.pendingRequests(),
							metrics.lastError()));
		}
		return result;
	}

	/**
	 * One connection of a pool.
	 *
	 * @param state its connection state
	 * @param healthScore 0 when not connected, else up to 1 with fewer pending requests
	 * and a shorter round trip; requests go to the highest
	 * @param connectedSince when its session opened
	 * @param reconnects sessions it opened after its first
	 * @param currentAttempt its failed attempts in a row
	 * @param subscriptions channels placed on it
	 * @param pendingRequests its requests awaiting a response
	 * @param lastError its last error
	 */
	public record Member(ConnectionState state, double healthScore, @Nullable Instant connectedSince, long reconnects,
			int currentAttempt, int subscriptions, int pendingRequests, @Nullable String lastError) {
	}

	/**
	 * Tracked channels.
	 *
	 * @param count how many
	 * @param names which, in subscription order
	 */
	public record Subscriptions(int count, List<String> names) {
	}

	/**
	 * Sessions the client closed over what the server sent, as the
	 * {@code websockex.inbound.rejected} meter counts them: a server that keeps sending
	 * such input makes the client reconnect again and again.
	 *
	 * @param tooLarge closed with 1009: a frame or message over {@code max-frame-size},
	 * or a compressed one that inflates past it
	 * @param protocolErrors closed with 1002 or 1007: frames RFC 6455 forbids, or text
	 * that is not UTF-8
	 */
	public record InboundRejected(long tooLarge, long protocolErrors) {
	}

	/**
	 * A pair of inbound and outbound totals.
	 *
	 * @param in received
	 * @param out sent
	 */
	public record Traffic(long in, long out) {
	}

	/**
	 * Heartbeat health.
	 *
	 * @param type the strategy
	 * @param active whether its timer runs
	 * @param lastSent when a heartbeat was last sent
	 * @param lastReceived when the last proof of life arrived
	 * @param consecutiveFailures failures in a row
	 * @param totalFailures failures in total
	 * @param lastRoundTripMillis the last round trip in milliseconds
	 */
	public record Heartbeat(String type, boolean active, @Nullable Instant lastSent, @Nullable Instant lastReceived,
			int consecutiveFailures, long totalFailures, @Nullable Double lastRoundTripMillis) {
	}

	/**
	 * Rate limiter figures.
	 *
	 * @param tokens tokens available now
	 * @param queued sends waiting now
	 * @param rejected sends refused in total
	 */
	public record RateLimit(long tokens, int queued, long rejected) {
	}

	/**
	 * Planned session replacements.
	 *
	 * @param maxConnectionAge the configured age in ISO-8601 ({@code PT23H}), or
	 * {@code null} when sessions are never rotated
	 * @param count rotations so far
	 * @param lastAt when the last one switched sessions
	 */
	public record Rotations(@Nullable String maxConnectionAge, long count, @Nullable Instant lastAt) {

		static @Nullable String age(@Nullable Duration age) {
			return (age != null) ? age.toString() : null;
		}

	}

	/**
	 * Round-trip percentiles over the last 30 to 60 seconds.
	 *
	 * @param requests JSON-RPC requests, call to response
	 * @param heartbeat heartbeat probes, probe to answer
	 */
	public record Latencies(Percentiles requests, Percentiles heartbeat) {
	}

	/**
	 * Percentiles in milliseconds.
	 *
	 * @param count round trips in the window
	 * @param p50Ms the median
	 * @param p90Ms the 90th percentile
	 * @param p99Ms the 99th percentile
	 * @param maxMs the longest
	 */
	public record Percentiles(long count, double p50Ms, double p90Ms, double p99Ms, double maxMs) {

		static Percentiles of(Latency latency) {
			return new Percentiles(latency.count(), millis(latency.p50()), millis(latency.p90()), millis(latency.p99()),
					millis(latency.max()));
		}

		private static double millis(Duration duration) {
			return duration.toNanos() / 1e6;
		}

	}

}
