package io.websockex.adapter.internal.client;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds the JSON-RPC method of an outgoing text frame, for the rate limiter's cost
 * function. Only called when a rate limit is configured.
 */
final class MethodSniffer {

	private MethodSniffer() {
	}

	static @Nullable String method(JsonMapper mapper, String text) {
		if (text.isEmpty() || text.charAt(0) != '{') {
			return null;
		}
		try {
			JsonNode method = mapper.readTree(text).get("method");
			return (method != null && method.isString()) ? method.stringValue() : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

}
