package io.websockex.adapter.internal.jsonrpc;

import java.util.Map;
import java.util.function.Supplier;

import io.websockex.adapter.JsonRpcErrorException;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Encodes JSON-RPC 2.0 requests and reads responses. Internal to websockex.
 */
public final class JsonRpcCodec {

	private static final Object NO_TREE_READER = new Object();

	private final Supplier<JsonMapper> mapper;

	// A JsonNodeFactory, NO_TREE_READER, or null until the first frame; racy but
	// idempotent.
	private volatile @Nullable Object treeNodes;

	/**
	 * Create a codec.
	 * @param mapper the mapper that writes params and reads frames
	 */
	public JsonRpcCodec(JsonMapper mapper) {
		this.mapper = () -> mapper;
	}

	private JsonRpcCodec(Supplier<JsonMapper> mapper) {
		this.mapper = mapper;
	}

	/**
	 * A codec over Jackson's shared default mapper, which is made at the first call of
	 * {@link #mapper()}: building it loads some 500 classes (seconds on a busy machine),
	 * which a client that never reads or writes JSON (the {@code raw} platform) should
	 * not wait for before its first frame.
	 * @return the codec
	 */
	public static JsonRpcCodec overSharedMapper() {
		return new JsonRpcCodec(new SharedMapper());
	}

	/**
	 * A codec over a mapper looked up when first asked for (tests see on which thread).
	 * @param mapper gives the mapper; called at each {@link #mapper()}
	 * @return the codec
	 */
	public static JsonRpcCodec over(Supplier<JsonMapper> mapper) {
		return new JsonRpcCodec(mapper);
	}

	/**
	 * The mapper.
	 * @return the mapper
	 */
	public JsonMapper mapper() {
		return this.mapper.get();
	}

	/**
	 * The node factory of {@link JsonTreeReader}, which reads frames without Jackson's
	 * parser, when the mapper builds trees the default way; worked out at the first
	 * frame, so that a client that never reads JSON never makes the mapper.
	 * @return the mapper's node factory, or {@code null} if every tree is Jackson's to
	 * read
	 */
	public @Nullable JsonNodeFactory treeNodes() {
		Object nodes = this.treeNodes;
		if (nodes == null) {
			JsonMapper mapper = mapper();
			nodes = JsonTreeReader.supports(mapper) ? mapper.deserializationConfig().getNodeFactory() : NO_TREE_READER;
			this.treeNodes = nodes;
		}
		return (nodes instanceof JsonNodeFactory factory) ? factory : null;
	}

	/**
	 * Read a frame's tree: with {@link JsonTreeReader} when it can, else with the mapper.
	 * @param utf8 the frame's payload
	 * @return the tree
	 * @throws JacksonException if it is not JSON
	 */
	public JsonNode readTree(byte[] utf8) {
		JsonNodeFactory nodes = treeNodes();
		JsonNode tree = (nodes != null) ? JsonTreeReader.over(utf8, nodes).readDocument() : null;
		return (tree != null) ? tree : mapper().readTree(utf8);
	}

	/**
	 * Encode a request.
	 * @param id the id
	 * @param method the method
	 * @param params the params, anything Jackson can write
	 * @return the JSON text
	 */
	public String encodeRequest(long id, String method, @Nullable Object params) {
		// The envelope by hand: only params needs a serializer, and empty params none.
		StringBuilder json = new StringBuilder(64 + method.length());
		json.append("{\"jsonrpc\":\"2.0\",\"id\":").append(id).append(",\"method\":\"");
		if (needsEscaping(method)) {
			// Looked up here, not in a static field: rare, and the encoder's tables are
			// not worth loading for a client that sends no request.
			JsonStringEncoder.getInstance().quoteAsString(method, json);
		}
		else {
			json.append(method);
		}
		json.append("\",\"params\":");
		if (params == null) {
			json.append("null");
		}
		else if (params instanceof Map<?, ?> map && map.isEmpty()) {
			json.append("{}");
		}
		else {
			json.append(mapper().writeValueAsString(params));
		}
		return json.append('}').toString();
	}

	// Method names are nearly always plain ASCII; the encoder's general path costs more
	// than the rest of the envelope.
	private static boolean needsEscaping(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x20 || c == '"' || c == '\\' || c > 0x7e) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The correlation key of a message's {@code id}: a {@code Long} for integral ids, the
	 * text for string ids.
	 * @param message a parsed message
	 * @return the key, or {@code null} if the message has no usable id
	 */
	public static @Nullable Object idKey(JsonNode message) {
		JsonNode id = message.get("id");
		if (id == null) {
			return null;
		}
		if (id.isIntegralNumber() && id.canConvertToLong()) {
			return id.longValue();
		}
		if (id.isString()) {
			return id.stringValue();
		}
		return null;
	}

	/**
	 * Whether a message is a response (has {@code result} or {@code error}).
	 * @param message a parsed message
	 * @return {@code true} for a response
	 */
	public static boolean isResponse(JsonNode message) {
		return message.has("result") || message.has("error");
	}

	/**
	 * The {@code result} of a response, or its error as an exception.
	 * @param client the client's name, for the error message
	 * @param method the request's method
	 * @param response the response
	 * @return the result ({@code NullNode} when absent)
	 * @throws JsonRpcErrorException for an error response
	 */
	public static JsonNode result(String client, String method, JsonNode response) {
		JsonNode error = response.get("error");
		if (error != null && !error.isNull()) {
			JsonNode code = error.get("code");
			JsonNode message = error.get("message");
			JsonNode data = error.get("data");
			throw new JsonRpcErrorException(client, method, (code != null) ? code.asInt(0) : 0,
					(message != null) ? message.asString("") : error.toString(), data);
		}
		JsonNode result = response.get("result");
		return (result != null) ? result : tools.jackson.databind.node.NullNode.getInstance();
	}

	/**
	 * Jackson's shared mapper, looked up when first asked for. A class, not the method
	 * reference {@code JsonMapper::shared}: linking that reference at the codec's
	 * creation loads and verifies {@code ObjectMapper} and some 40 classes around it, on
	 * the path to the first frame of a client that may never use JSON.
	 */
	private static final class SharedMapper implements Supplier<JsonMapper> {

		@Override
		public JsonMapper get() {
			return JsonMapper.shared();
		}

	}

}
