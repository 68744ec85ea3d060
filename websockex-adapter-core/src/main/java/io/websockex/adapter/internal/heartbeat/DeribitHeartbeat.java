package io.websockex.adapter.internal.heartbeat;

import java.util.Map;

import io.websockex.adapter.JsonRpcErrorException;
import io.websockex.adapter.heartbeat.Heartbeat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * {@code deribit}: after connect {@code public/set_heartbeat}; every {@code heartbeat}
 * notification of type {@code test_request} is answered with {@code public/test} at once,
 * on the inbound path, ahead of any queued or rate-limited send (Deribit closes the
 * connection of a client that does not answer). Server heartbeats of either type are the
 * proof of life; when one is overdue by the timeout, that is a failure and the client
 * probes with {@code public/test} itself, whose answer (result or error) is proof of life
 * again.
 */
final class DeribitHeartbeat extends HeartbeatStrategy {

	private static final Logger logger = LoggerFactory.getLogger(DeribitHeartbeat.class);

	static final String SET_HEARTBEAT = "public/set_heartbeat";

	static final String TEST = "public/test";

	private final Map<String, Object> setHeartbeatParams;

	DeribitHeartbeat(String client, Heartbeat settings, ProbedLiveness liveness) {
		super(client, settings, liveness);
		this.setHeartbeatParams = Map.of("interval", settings.interval().toSeconds());
	}

	@Override
	Mono<Void> connected(HeartbeatLink link) {
		long start = this.liveness.now();
		return link.request(SET_HEARTBEAT, this.setHeartbeatParams)
			.timeout(this.settings.timeout())
			.doOnNext((result) -> answered(start))
			.then()
			.onErrorResume((error) -> {
				if (error instanceof JsonRpcErrorException rejected) {
					logger.warn(
							"websockex client '{}': the server rejected {} ({}); heartbeat.type deribit needs a "
									+ "server that speaks Deribit's heartbeat protocol, else use heartbeat.type ping; "
									+ "probing with {} instead",
							this.client, SET_HEARTBEAT, rejected.errorMessage(), TEST);
					answered(start);
				}
				else {
					// No answer within heartbeat.timeout, or the session ended: the
					// missing server heartbeats will count as failures, set-up goes on.
					logger.debug("websockex client '{}': {} failed: {}", this.client, SET_HEARTBEAT, error.toString());
				}
				return Mono.empty();
			});
	}

	@Override
	boolean cadence() {
		return false;
	}

	@Override
	long lastAlive() {
		return this.liveness.lastBeat();
	}

	@Override
	void probe(HeartbeatLink link, long now) {
		test(link, now);
	}

	@Override
	boolean consume(JsonNode message, HeartbeatLink link) {
		JsonNode method = message.get("method");
		if (method == null || !method.isString() || !"heartbeat".equals(method.stringValue())) {
			return false;
		}
		long now = this.liveness.now();
		this.liveness.beat(now);
		JsonNode params = message.get("params");
		JsonNode type = (params != null) ? params.get("type") : null;
		if (type != null && type.isString() && "test_request".equals(type.stringValue())) {
			test(link, now);
		}
		return true;
	}

	private void test(HeartbeatLink link, long start) {
		this.liveness.sent(start);
		link.request(TEST, Map.of()).subscribe((result) -> answered(start), (error) -> {
			// An error response is an answer too: the server is there.
			if (error instanceof JsonRpcErrorException) {
				answered(start);
			}
		});
	}

	private void answered(long start) {
		long now = this.liveness.now();
		this.liveness.beat(now);
		this.liveness.roundTrip(now - start);
	}

	@Override
	String deadReason(int failures) {
		return "no Deribit heartbeat within " + this.settings.interval() + " + " + this.settings.timeout()
				+ " and no answer to " + TEST + ", " + failures
				+ " time(s) in a row (heartbeat.interval, heartbeat.timeout, heartbeat.max-failures): the connection "
				+ "is half-open or the server stopped sending heartbeats";
	}

}
