package io.websockex.adapter.heartbeat;

import io.websockex.adapter.HeartbeatHealth;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The heartbeat of one client, across all its sessions: started on each connect, stopped
 * on each disconnect, so there is never more than one timer per client. Internal to
 * websockex.
 */
public final class HeartbeatMonitor {

	private final String client;

	private final Heartbeat settings;

	/**
	 * Create a monitor.
	 * @param client the client's name
	 * @param settings the settings
	 */
	public HeartbeatMonitor(String client, Heartbeat settings) {
		this.client = client;
		this.settings = settings;
	}

	/**
	 * A session opened: set up the server side (Deribit) and start the timers.
	 * @param link the session
	 * @return completes when the heartbeat is set up
	 */
	public Mono<Void> onConnected(HeartbeatLink link) {
		return Mono.empty();
	}

	/**
	 * The session closed: stop the timers.
	 */
	public void onDisconnected() {
	}

	/**
	 * Any inbound frame arrived (proof of life).
	 */
	public void onFrame() {
	}

	/**
	 * A pong frame arrived.
	 */
	public void onPong() {
	}

	/**
	 * Whether inbound JSON must be parsed for this heartbeat.
	 * @return {@code true} for Deribit heartbeats
	 */
	public boolean needsJson() {
		return this.settings.type() == Heartbeat.Type.DERIBIT;
	}

	/**
	 * Consume heartbeat traffic.
	 * @param message a parsed inbound message
	 * @param link the session it arrived on
	 * @return {@code true} if the message was heartbeat traffic and is consumed
	 */
	public boolean consume(JsonNode message, HeartbeatLink link) {
		return false;
	}

	/**
	 * A snapshot.
	 * @return the health
	 */
	public HeartbeatHealth health() {
		return new HeartbeatHealth(this.settings.type(), false, null, null, 0, 0, null);
	}

	@Override
	public String toString() {
		return "HeartbeatMonitor[" + this.client + ", " + this.settings.type() + "]";
	}

}
