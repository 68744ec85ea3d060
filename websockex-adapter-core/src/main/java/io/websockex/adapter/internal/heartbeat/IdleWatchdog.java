package io.websockex.adapter.internal.heartbeat;

import java.time.Duration;

/**
 * {@code heartbeat.idle-timeout}, independent of the heartbeat type: no inbound frame at
 * all for that long and the session is dead (a feed that stops pushing while the socket
 * still looks fine). Pure timing over nanoTime values; the monitor's one timer checks it.
 */
final class IdleWatchdog {

	private final Duration idleTimeout;

	private final long idleNanos;

	IdleWatchdog(Duration idleTimeout) {
		this.idleTimeout = idleTimeout;
		this.idleNanos = idleTimeout.toNanos();
	}

	/**
	 * @param now the current nanoTime
	 * @param lastFrame when the last frame arrived
	 * @return whether the silence has lasted the idle timeout
	 */
	boolean expired(long now, long lastFrame) {
		return now - lastFrame >= this.idleNanos;
	}

	/**
	 * @param lastFrame when the last frame arrived
	 * @return when the silence will have lasted the idle timeout
	 */
	long deadline(long lastFrame) {
		return lastFrame + this.idleNanos;
	}

	String deadReason() {
		return "no inbound frame for " + this.idleTimeout
				+ " (heartbeat.idle-timeout): the feed went silent or the connection is half-open";
	}

}
