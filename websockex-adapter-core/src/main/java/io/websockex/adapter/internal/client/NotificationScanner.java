package io.websockex.adapter.internal.client;

import io.websockex.adapter.internal.jsonrpc.JsonRpcCodec;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads each text frame of a built-in JSON-RPC dialect in one streaming pass: a channel
 * notification is routed from its envelope alone ({@code method} and
 * {@code params.channel}, with the tree of {@code params.data} built only when that
 * channel has a subscriber), and anything else (a response, a heartbeat, a server
 * request) comes back as the whole message's tree, built in the same pass. Building the
 * whole tree of every notification (root, {@code params}, three string nodes) cost about
 * as much as the data's own tree, and a second parser for every response cost a fifth of
 * its handling.
 * <p>
 * What it cannot settle in one pass (a {@code params} read as a stream that turns out not
 * to be a notification's, bad JSON, trailing content) is left to the full parse.
 */
final class NotificationScanner {

	/** The frame was a notification, and its data went to the channel's subscribers. */
	static final Object ROUTED = new Object();

	private final JsonRpcCodec codec;

	private final String notificationMethod;

	// The mapper's tree deserializer, looked up once: the parser's own readValueAsTree()
	// looks it up and contextualizes it again for every value, which cost as much as
	// reading the value. Racy but idempotent: every lookup finds an equivalent one.
	private volatile @Nullable ValueDeserializer<Object> treeReader;

	NotificationScanner(JsonRpcCodec codec, String notificationMethod) {
		this.codec = codec;
		this.notificationMethod = notificationMethod;
	}

	/**
	 * Route {@code utf8} if it is a notification, or read its tree.
	 * @param utf8 a text frame's payload
	 * @param broadcast where channel data goes
	 * @return {@link #ROUTED} if it was a notification and is routed; the message's tree
	 * (a JSON object) if it is something else; {@code null} if the caller must parse and
	 * route it as a whole
	 */
	@Nullable Object route(byte[] utf8, InboundBroadcast broadcast) {
		try (JsonParser parser = this.codec.mapper().createParser(utf8)) {
			return route(parser, broadcast);
		}
		catch (JacksonException ex) {
			// Bad JSON: the full parse reports it, and the frame goes to messages() raw.
			return null;
		}
	}

	private @Nullable Object route(JsonParser parser, InboundBroadcast broadcast) {
		if (parser.nextToken() != JsonToken.START_OBJECT) {
			return null;
		}
		// The fields read so far, as the tree the full parse would have built: made at
		// the first field that is neither method nor params.
		@Nullable ObjectNode tree = null;
		@Nullable String method = null;
		boolean response = false;
		@Nullable Envelope params = null;
		String name;
		while ((name = parser.nextName()) != null) {
			JsonToken value = parser.nextToken();
			if ((params != null && "params".equals(name)) || (method != null && "method".equals(name))) {
				// A repeated key: the last one counts, which only the full parse can
				// tell.
				return null;
			}
			if ("params".equals(name) && value == JsonToken.START_OBJECT
					&& (method == null || this.notificationMethod.equals(method))) {
				params = readParams(parser, broadcast);
				if (params == null) {
					return null;
				}
				continue;
			}
			if ("method".equals(name) && value == JsonToken.VALUE_STRING) {
				method = parser.getString();
			}
			// A response is the correlator's, whatever else it carries.
			response |= "result".equals(name) || "error".equals(name);
			if (tree == null) {
				tree = this.codec.mapper().createObjectNode();
			}
			tree.set(name, readTree(parser));
		}
		// Trailing content makes the whole message invalid: the full parse decides.
		if (parser.nextToken() != null) {
			return null;
		}
		if (params != null) {
			if (response || !this.notificationMethod.equals(method)) {
				// Its params went by as a stream: only the full parse has them.
				return null;
			}
			if (params.sink != null && params.data != null) {
				params.sink.emit(params.data);
			}
			return ROUTED;
		}
		return (tree != null) ? tree : this.codec.mapper().createObjectNode();
	}

	// What readValueAsTree() does, without its per-call look-up.
	private JsonNode readTree(JsonParser parser) {
		DeserializationContext context = (DeserializationContext) parser.objectReadContext();
		if (parser.currentToken() == JsonToken.VALUE_NULL) {
			return context.getNodeFactory().nullNode();
		}
		ValueDeserializer<Object> reader = this.treeReader;
		if (reader == null) {
			reader = context.findRootValueDeserializer(context.constructType(JsonNode.class));
			this.treeReader = reader;
		}
		return (JsonNode) reader.deserialize(parser, context);
	}

	// After params' START_OBJECT; null unless it holds a string channel and a data field.
	// The channel's sink is looked up once: the tree of data is built only if it exists.
	private @Nullable Envelope readParams(JsonParser parser, InboundBroadcast broadcast) {
		@Nullable String channel = null;
		InboundBroadcast.@Nullable ChannelSink sink = null;
		@Nullable JsonNode data = null;
		boolean hasData = false;
		String name;
		while ((name = parser.nextName()) != null) {
			JsonToken value = parser.nextToken();
			if ("channel".equals(name)) {
				if (value != JsonToken.VALUE_STRING) {
					return null;
				}
				channel = parser.getString();
				sink = broadcast.channelSink(channel);
			}
			else if ("data".equals(name)) {
				hasData = true;
				if (channel != null && sink == null) {
					parser.skipChildren();
				}
				else {
					// Channel not known yet (data first) or subscribed: the tree is
					// needed.
					data = readTree(parser);
				}
			}
			else {
				parser.skipChildren();
			}
		}
		if (channel == null || !hasData) {
			return null;
		}
		return new Envelope(sink, data);
	}

	private record Envelope(InboundBroadcast.@Nullable ChannelSink sink, @Nullable JsonNode data) {
	}

}
