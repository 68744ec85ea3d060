package io.websockex.adapter.heartbeat;

import java.time.Duration;

import io.websockex.adapter.InvalidConfigException;
import org.jspecify.annotations.Nullable;

/**
 * Heartbeat settings of a client: how a dead connection is detected.
 *
 * <pre>{@code
 * Heartbeat.ping(Duration.ofSeconds(15)).withTimeout(Duration.ofSeconds(5)).withMaxFailures(2);
 * Heartbeat.deribit(Duration.ofSeconds(30));
 * Heartbeat.none().withIdleTimeout(Duration.ofSeconds(20));
 * }</pre>
 *
 * @param type the strategy
 * @param interval how often a heartbeat is sent or expected
 * @param timeout how long a reply may take before it counts as a failure
 * @param maxFailures consecutive failures that declare the connection dead
 * @param message the payload of {@link Type#TEXT} heartbeats
 * @param idleTimeout inbound silence that closes the session as dead, or {@code null} for
 * off; independent of {@code type}
 */
public record Heartbeat(Type type, Duration interval, Duration timeout, int maxFailures, @Nullable String message,
		@Nullable Duration idleTimeout) {

	/** Default {@code heartbeat.interval}. */
	public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

	/** Default {@code heartbeat.timeout}. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

	/** Default {@code heartbeat.max-failures}. */
	public static final int DEFAULT_MAX_FAILURES = 2;

	/**
	 * Validate the settings; each error names its {@code heartbeat.*} property.
	 * @param type the strategy
	 * @param interval the interval
	 * @param timeout the timeout
	 * @param maxFailures the max failures
	 * @param message the text payload
	 * @param idleTimeout the idle timeout
	 */
	public Heartbeat {
		if (type == null) {
			throw new InvalidConfigException("heartbeat.type", "must be one of none, ping, deribit, text");
		}
		requirePositive("heartbeat.interval", interval);
		requirePositive("heartbeat.timeout", timeout);
		if (maxFailures < 1) {
			throw new InvalidConfigException("heartbeat.max-failures", "must be at least 1, was " + maxFailures);
		}
		if (type == Type.TEXT && (message == null || message.isEmpty())) {
			throw new InvalidConfigException("heartbeat.message", "must be set when heartbeat.type is text");
		}
		if (idleTimeout != null) {
			requirePositive("heartbeat.idle-timeout", idleTimeout);
		}
		if (type == Type.DERIBIT && interval.toSeconds() < 10) {
			throw new InvalidConfigException("heartbeat.interval",
					"Deribit accepts heartbeat intervals of at least 10s, was " + interval);
		}
	}

	private static void requirePositive(String property, @Nullable Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidConfigException(property, "must be a positive duration, was " + value);
		}
	}

	/**
	 * No heartbeat (the default).
	 * @return the settings
	 */
	public static Heartbeat none() {
		return new Heartbeat(Type.NONE, DEFAULT_INTERVAL, DEFAULT_TIMEOUT, DEFAULT_MAX_FAILURES, null, null);
	}

	/**
	 * WebSocket ping frames every {@code interval}; a pong or any inbound frame within
	 * the timeout proves the connection alive.
	 * @param interval the ping interval
	 * @return the settings
	 */
	public static Heartbeat ping(Duration interval) {
		return new Heartbeat(Type.PING, interval, DEFAULT_TIMEOUT, DEFAULT_MAX_FAILURES, null, null);
	}

	/**
	 * Deribit's heartbeat: {@code public/set_heartbeat} after connect, every
	 * {@code test_request} answered with {@code public/test}.
	 * @param interval the heartbeat interval requested from the server (at least 10s)
	 * @return the settings
	 */
	public static Heartbeat deribit(Duration interval) {
		return new Heartbeat(Type.DERIBIT, interval, DEFAULT_TIMEOUT, DEFAULT_MAX_FAILURES, null, null);
	}

	/**
	 * A text frame every {@code interval}; any inbound frame within the timeout proves
	 * the connection alive.
	 * @param interval the interval
	 * @param message the text to send
	 * @return the settings
	 */
	public static Heartbeat text(Duration interval, String message) {
		return new Heartbeat(Type.TEXT, interval, DEFAULT_TIMEOUT, DEFAULT_MAX_FAILURES, message, null);
	}

	/**
	 * A copy with another strategy; the other settings are kept.
	 * @param type the strategy
	 * @return the settings
	 */
	public Heartbeat withType(Type type) {
		return new Heartbeat(type, this.interval, this.timeout, this.maxFailures, this.message, this.idleTimeout);
	}

	/**
	 * A copy with another interval.
	 * @param interval how often a heartbeat is sent or expected
	 * @return the settings
	 */
	public Heartbeat withInterval(Duration interval) {
		return new Heartbeat(this.type, interval, this.timeout, this.maxFailures, this.message, this.idleTimeout);
	}

	/**
	 * A copy with another message.
	 * @param message the payload of {@link Type#TEXT} heartbeats
	 * @return the settings
	 */
	public Heartbeat withMessage(@Nullable String message) {
		return new Heartbeat(this.type, this.interval, this.timeout, this.maxFailures, message, this.idleTimeout);
	}

	/**
	 * A copy with another timeout.
	 * @param timeout how long a reply may take
	 * @return the settings
	 */
	public Heartbeat withTimeout(Duration timeout) {
		return new Heartbeat(this.type, this.interval, timeout, this.maxFailures, this.message, this.idleTimeout);
	}

	/**
	 * A copy with another failure threshold.
	 * @param maxFailures consecutive failures that declare the connection dead
	 * @return the settings
	 */
	public Heartbeat withMaxFailures(int maxFailures) {
		return new Heartbeat(this.type, this.interval, this.timeout, maxFailures, this.message, this.idleTimeout);
	}

	/**
	 * A copy with an inbound-silence watchdog.
	 * @param idleTimeout silence after which the session is closed as dead, or
	 * {@code null} for off
	 * @return the settings
	 */
	public Heartbeat withIdleTimeout(@Nullable Duration idleTimeout) {
		return new Heartbeat(this.type, this.interval, this.timeout, this.maxFailures, this.message, idleTimeout);
	}

	/**
	 * The heartbeat strategies.
	 */
	public enum Type {

		/** No heartbeat. */
		NONE,

		/** WebSocket ping frames. */
		PING,

		/** Deribit's {@code public/set_heartbeat} / {@code test_request} protocol. */
		DERIBIT,

		/** A text message ({@code heartbeat.message}). */
		TEXT

	}

}
