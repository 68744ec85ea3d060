package io.websockex.adapter.internal.heartbeat;

import io.websockex.adapter.heartbeat.Heartbeat;

/**
 * {@code text}: {@code heartbeat.message} as a text frame every interval, for servers
 * with an application-level ping; any inbound frame within the timeout proves the
 * connection alive. The server's reply is an ordinary message (it reaches
 * {@code messages()}): it cannot be told apart from data in general.
 */
final class TextHeartbeat extends HeartbeatStrategy {

	private final String message;

	TextHeartbeat(String client, Heartbeat settings, ProbedLiveness liveness) {
		super(client, settings, liveness);
		this.message = (settings.message() != null) ? settings.message() : "";
	}

	@Override
	boolean cadence() {
		return true;
	}

	@Override
	void probe(HeartbeatLink link, long now) {
		this.liveness.sent(now);
		link.sendText(this.message).subscribe(null, HeartbeatStrategy::ignore);
	}

	@Override
	String deadReason(int failures) {
		return "no frame within " + this.settings.timeout() + " of the heartbeat message, " + failures
				+ " time(s) in a row (heartbeat.timeout, heartbeat.max-failures): the connection is half-open or the "
				+ "server stopped answering";
	}

}
