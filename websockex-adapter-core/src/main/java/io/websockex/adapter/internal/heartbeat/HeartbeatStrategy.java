package io.websockex.adapter.internal.heartbeat;

import io.websockex.adapter.heartbeat.Heartbeat;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * What differs between heartbeat types: how a probe is sent, what counts as proof of
 * life, and what the server must be told after connect. The timing is the same for all
 * ({@link ProbeTimer}) and lives in {@link HeartbeatMonitor}. One instance per client.
 */
abstract sealed class HeartbeatStrategy permits PingHeartbeat, TextHeartbeat, DeribitHeartbeat {

	final String client;

	final Heartbeat settings;

	final ProbedLiveness liveness;

	HeartbeatStrategy(String client, Heartbeat settings, ProbedLiveness liveness) {
		this.client = client;
		this.settings = settings;
		this.liveness = liveness;
	}

	/**
	 * A session opened; forget what belonged to the previous one.
	 * @param link the session
	 * @return completes when the server is set up; never fails
	 */
	Mono<Void> connected(HeartbeatLink link) {
		return Mono.empty();
	}

	/**
	 * @return whether the client probes every interval; otherwise the server's own
	 * heartbeat is the probe
	 */
	abstract boolean cadence();

	/**
	 * Send one probe; errors are ignored (a probe that cannot be written is simply not
	 * answered).
	 * @param link the session
	 * @param now the current nanoTime
	 */
	abstract void probe(HeartbeatLink link, long now);

	/**
	 * @return when the last proof of life arrived (nanoTime)
	 */
	long lastAlive() {
		return this.liveness.lastFrame();
	}

	/**
	 * A pong frame arrived.
	 * @param now the current nanoTime
	 */
	void pong(long now) {
	}

	/**
	 * @param message a parsed inbound message
	 * @param link the session it arrived on
	 * @return {@code true} if it was heartbeat traffic
	 */
	boolean consume(JsonNode message, HeartbeatLink link) {
		return false;
	}

	/**
	 * Why the connection is declared dead, for logs and {@code lastError}.
	 * @param failures the failures in a row
	 * @return the reason
	 */
	abstract String deadReason(int failures);

	/** The probe's write failed: nothing to do, its missing answer is the failure. */
	static void ignore(Throwable error) {
	}

}
