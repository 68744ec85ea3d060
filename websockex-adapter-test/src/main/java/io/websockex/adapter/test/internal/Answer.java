package io.websockex.adapter.test.internal;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What the server answers to one JSON-RPC request: a result, an error, or nothing, after
 * an optional delay.
 *
 * @param result the result, when it succeeds
 * @param error the error object, when it fails
 * @param delay how long to wait before answering
 */
public record Answer(@Nullable JsonNode result, @Nullable JsonNode error, Duration delay) {

	/** An answer that is never sent. */
	public static final Answer NONE = new Answer(null, null, Duration.ZERO);

	/**
	 * @param result the result
	 * @return a successful answer
	 */
	public static Answer result(JsonNode result) {
		return new Answer(result, null, Duration.ZERO);
	}

	/**
	 * @param code the JSON-RPC error code
	 * @param message the error message
	 * @return a failed answer
	 */
	public static Answer error(int code, String message) {
		return new Answer(null, Json.MAPPER.createObjectNode().put("code", code).put("message", message),
				Duration.ZERO);
	}

	/**
	 * @param method the method no one knows
	 * @return JSON-RPC's {@code -32601 Method not found}, naming the method in its data
	 */
	public static Answer methodNotFound(String method) {
		tools.jackson.databind.node.ObjectNode error = Json.MAPPER.createObjectNode()
			.put("code", -32601)
			.put("message", "Method not found");
		error.putObject("data").put("method", method);
		return new Answer(null, error, Duration.ZERO);
	}

	/**
	 * @return whether nothing is sent
	 */
	public boolean isNone() {
		return this.result == null && this.error == null;
	}

	/**
	 * @param delay how long to wait
	 * @return this answer, sent after the delay
	 */
	public Answer delayed(Duration delay) {
		return new Answer(this.result, this.error, delay);
	}

}
