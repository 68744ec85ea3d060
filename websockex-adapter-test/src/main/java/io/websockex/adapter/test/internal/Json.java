package io.websockex.adapter.test.internal;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON-RPC 2.0 shapes the server writes, and lenient parsing of what it reads.
 */
public final class Json {

	/** The one mapper of the test server. */
	public static final JsonMapper MAPPER = JsonMapper.shared();

	private Json() {
	}

	/**
	 * @param text a frame's text
	 * @return the parsed JSON object, or {@code null} when the text is not a JSON object
	 */
	public static @Nullable JsonNode parseObject(String text) {
		try {
			JsonNode node = MAPPER.readTree(text);
			return (node != null && node.isObject()) ? node : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * @param value anything Jackson can write, a {@link JsonNode} as it is
	 * @return the value as a tree
	 */
	public static JsonNode tree(@Nullable Object value) {
		return (value instanceof JsonNode node) ? node : MAPPER.valueToTree(value);
	}

	/**
	 * @param json JSON text
	 * @return the parsed tree
	 * @throws IllegalArgumentException naming the text when it is not JSON
	 */
	public static JsonNode parse(String json) {
		try {
			return MAPPER.readTree(json);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException("not JSON: '" + json + "' (" + ex.getOriginalMessage()
					+ "); pass JSON text, or an object to write as JSON", ex);
		}
	}

	/**
	 * @param id the request's id
	 * @param answer a result or an error
	 * @param extra fields added to every response (Deribit's timing fields), or null
	 * @return the response's text
	 */
	public static String response(JsonNode id, Answer answer, @Nullable ObjectNode extra) {
		ObjectNode response = MAPPER.createObjectNode().put("jsonrpc", "2.0");
		response.set("id", id);
		if (answer.error() != null) {
			response.set("error", answer.error());
		}
		else {
			response.set("result", answer.result());
		}
		if (extra != null) {
			response.setAll(extra);
		}
		return response.toString();
	}

	/**
	 * @param method the notification's method
	 * @param channel the channel
	 * @param data the data
	 * @return a subscription notification:
	 * {@code {"method":..,"params":{"channel":..,"data":..}}}
	 */
	public static String notification(String method, String channel, JsonNode data) {
		ObjectNode message = MAPPER.createObjectNode().put("jsonrpc", "2.0").put("method", method);
		ObjectNode params = message.putObject("params").put("channel", channel);
		params.set("data", data);
		return message.toString();
	}

}
