package io.websockex.adapter.internal.client;

import io.websockex.adapter.internal.jsonrpc.JsonRpcCodec;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * Routes a channel notification of a built-in JSON-RPC dialect from its envelope alone:
 * one streaming pass reads {@code method} and {@code params.channel}, and the tree of
 * {@code params.data} is built only when that channel has a subscriber. Building the
 * whole message's tree for every notification (root, {@code params}, three string nodes)
 * cost about as much as the data's own tree.
 * <p>
 * Anything that is not plainly such a notification (another method, a response, a
 * {@code params} without {@code data}, bad JSON) is left to the full parse, so heartbeat
 * traffic and responses are handled exactly as before.
 */
final class NotificationScanner {

	private final JsonRpcCodec codec;

	private final String notificationMethod;

	NotificationScanner(JsonRpcCodec codec, String notificationMethod) {
		this.codec = codec;
		this.notificationMethod = notificationMethod;
	}

	/**
	 * Route {@code utf8} if it is a notification.
	 * @param utf8 a text frame's payload
	 * @param broadcast where channel data goes
	 * @return {@code true} if it was a notification and is routed; {@code false} if the
	 * caller must parse and route it as a whole
	 */
	boolean route(byte[] utf8, InboundBroadcast broadcast) {
		try (JsonParser parser = this.codec.mapper().createParser(utf8)) {
			return route(parser, broadcast);
		}
		catch (JacksonException ex) {
			// Bad JSON: the full parse reports it, and the frame goes to messages() raw.
			return false;
		}
	}

	private boolean route(JsonParser parser, InboundBroadcast broadcast) {
		if (parser.nextToken() != JsonToken.START_OBJECT) {
			return false;
		}
		boolean notification = false;
		@Nullable Envelope params = null;
		String name;
		while ((name = parser.nextName()) != null) {
			JsonToken value = parser.nextToken();
			switch (name) {
				case "method" -> {
					if (value != JsonToken.VALUE_STRING || !this.notificationMethod.equals(parser.getString())) {
						return false;
					}
					notification = true;
				}
				// A response is the correlator's, whatever else it carries.
				case "result", "error" -> {
					return false;
				}
				case "params" -> {
					if (value != JsonToken.START_OBJECT) {
						return false;
					}
					params = readParams(parser, broadcast);
					if (params == null) {
						return false;
					}
				}
				default -> parser.skipChildren();
			}
		}
		// Trailing content makes the whole message invalid: the full parse decides.
		if (!notification || params == null || parser.nextToken() != null) {
			return false;
		}
		if (params.sink != null && params.data != null) {
			params.sink.emit(params.data);
		}
		return true;
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
					data = parser.readValueAsTree();
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
