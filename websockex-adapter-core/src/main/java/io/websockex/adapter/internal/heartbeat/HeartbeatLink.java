package io.websockex.adapter.internal.heartbeat;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * What a heartbeat may do with the live session. Everything here bypasses the rate
 * limiter and the queued sends: heartbeats are what keeps the connection alive. Internal
 * to websockex.
 */
public interface HeartbeatLink {

	/**
	 * Write a WebSocket ping frame.
	 * @return completes when written
	 */
	Mono<Void> ping();

	/**
	 * Write a text frame ahead of any queued sends.
	 * @param text the text
	 * @return completes when written
	 */
	Mono<Void> sendText(String text);

	/**
	 * Make a JSON-RPC request ahead of any queued sends.
	 * @param method the method
	 * @param params the params
	 * @return the result
	 */
	Mono<JsonNode> request(String method, Object params);

	/**
	 * Close this session as dead; the client reconnects.
	 * @param reason why, for logs and metrics
	 */
	void declareDead(String reason);

}
