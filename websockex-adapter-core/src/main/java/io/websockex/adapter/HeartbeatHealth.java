package io.websockex.adapter;

import java.time.Duration;
import java.time.Instant;

import io.websockex.adapter.heartbeat.Heartbeat;
import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of a client's heartbeat.
 *
 * @param type the heartbeat strategy
 * @param active whether the heartbeat timer runs (only while connected)
 * @param lastSent when the last heartbeat was sent, or {@code null}
 * @param lastReceived when the last proof of life arrived, or {@code null}
 * @param consecutiveFailures failures in a row, reset by each proof of life
 * @param totalFailures failures since the client was created
 * @param lastRoundTrip the last measured round-trip time, or {@code null}
 */
public record HeartbeatHealth(Heartbeat.Type type, boolean active, @Nullable Instant lastSent,
		@Nullable Instant lastReceived, int consecutiveFailures, long totalFailures, @Nullable Duration lastRoundTrip) {

}
