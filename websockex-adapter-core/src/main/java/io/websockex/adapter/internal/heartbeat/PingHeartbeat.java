package io.websockex.adapter.internal.heartbeat;

import io.websockex.adapter.heartbeat.Heartbeat;

/**
 * {@code ping}: a WebSocket ping frame every interval; a pong or any other frame within
 * the timeout proves the connection alive. The round trip is measured from a ping to the
 * next pong.
 */
final class PingHeartbeat extends HeartbeatStrategy {

	/** When the ping that the next pong answers was sent. */
	private volatile long awaitingPong = Liveness.NEVER;

	PingHeartbeat(String client, Heartbeat settings, ProbedLiveness liveness) {
		super(client, settings, liveness);
	}

	@Override
	reactor.core.publisher.Mono<Void> connected(HeartbeatLink link) {
		this.awaitingPong = Liveness.NEVER;
		return super.connected(link);
	}

	@Override
	boolean cadence() {
		return true;
	}

	@Override
	void probe(HeartbeatLink link, long now) {
		// Pongs come back in order, so only a ping sent while none is awaiting its pong
		// gives a true round trip.
		if (this.awaitingPong == Liveness.NEVER) {
			this.awaitingPong = now;
		}
		this.liveness.sent(now);
		link.ping().subscribe(null, HeartbeatStrategy::ignore);
	}

	@Override
	void pong(long now) {
		long sent = this.awaitingPong;
		if (sent != Liveness.NEVER) {
			this.awaitingPong = Liveness.NEVER;
			this.liveness.roundTrip(now - sent);
		}
	}

	@Override
	String deadReason(int failures) {
		return "no pong or other frame within " + this.settings.timeout() + " of a ping, " + failures
				+ " time(s) in a row (heartbeat.timeout, heartbeat.max-failures): the connection is half-open or the "
				+ "server does not answer pings";
	}

}
