package io.websockex.adapter;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of a client's connection, traffic, request and rate-limit
 * figures. Counters are totals since the client was created.
 *
 * @param state the state when the snapshot was taken
 * @param connectedSince when the current session opened, or {@code null} when not
 * connected
 * @param connectionAttempts connection attempts made, successful or not
 * @param connectionSuccesses connection attempts that opened a session
 * @param connectionFailures connection attempts that failed
 * @param reconnects sessions opened after the first one
 * @param currentAttempt consecutive failed attempts since the last successful connect
 * @param disconnectReason why the client is or was last disconnected
 * @param lastError the last connection error (no secrets), or {@code null}
 * @param lastErrorAt when {@code lastError} happened, or {@code null}
 * @param messagesReceived data frames received
 * @param messagesSent data frames written
 * @param textMessagesSent text frames written
 * @param binaryMessagesSent binary frames written
 * @param bytesReceived payload bytes received
 * @param bytesSent payload bytes written
 * @param inboundOverflows subscribers terminated because their buffer overflowed
 * @param inboundTooLarge sessions closed with 1009 because a frame or message, after
 * decompression, was over {@code max-frame-size}
 * @param protocolErrors sessions closed because the server broke RFC 6455 or RFC 7692
 * (reserved bits, bad opcodes or lengths, corrupt compressed data, ...) or a server limit
 * @param pendingRequests JSON-RPC requests awaiting their response
 * @param subscriptions channels tracked (restored after reconnects)
 * @param rateLimitTokens tokens available now, or {@code -1} without a rate limit
 * @param rateLimitQueued sends waiting for tokens now
 * @param rateLimitRejected sends refused because the queue was full, in total
 * @param rotations sessions replaced without a gap before {@code max-connection-age} (not
 * failures: {@code reconnects} does not count them)
 * @param lastRotationAt when the last rotation switched sessions, or {@code null}
 * @param requestLatency JSON-RPC request round trips, from the call to its response
 * (waits for rate-limit tokens included), over the last 30 to 60 seconds
 * @param heartbeatLatency heartbeat round trips over the same window
 */
public record ClientMetrics(ConnectionState state, @Nullable Instant connectedSince, long connectionAttempts,
		long connectionSuccesses, long connectionFailures, long reconnects, int currentAttempt,
		DisconnectReason disconnectReason, @Nullable String lastError, @Nullable Instant lastErrorAt,
		long messagesReceived, long messagesSent, long textMessagesSent, long binaryMessagesSent, long bytesReceived,
		long bytesSent, long inboundOverflows, long inboundTooLarge, long protocolErrors, int pendingRequests,
		int subscriptions, long rateLimitTokens, int rateLimitQueued, long rateLimitRejected, long rotations,
		@Nullable Instant lastRotationAt, Latency requestLatency, Latency heartbeatLatency) {

}
