package io.websockex.adapter.internal.client;

import io.websockex.adapter.internal.jsonrpc.JsonRpcCodec;
import io.websockex.adapter.internal.jsonrpc.JsonTreeReader;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Reads each text frame of a built-in JSON-RPC dialect straight from its bytes
 * ({@link JsonTreeReader}): a channel notification is routed from its envelope alone
 * ({@code method} and {@code params.channel}, with the tree of {@code params.data} built
 * only when that channel has a subscriber), and anything else (a response, a heartbeat, a
 * server request) comes back as the whole message's tree. Building the whole tree of
 * every notification cost about as much as the data's own tree, and Jackson's parser, set
 * up anew for every frame, cost more than either.
 * <p>
 * What the reader leaves to Jackson (bad JSON, malformed UTF-8, a mapper configured to
 * read trees its own way) comes back as {@code null}: the caller parses it with the
 * mapper.
 */
final class NotificationScanner {

	/** The frame was a notification, and its data went to the channel's subscribers. */
	static final Object ROUTED = new Object();

	// Stateless, so clients share one: the one made last, reused while the dialect and
	// codec are the same (every client of an application, as a rule).
	private static volatile @Nullable NotificationScanner shared;

	private final JsonRpcCodec codec;

	private final String notificationMethod;

	NotificationScanner(JsonRpcCodec codec, String notificationMethod) {
		this.codec = codec;
		this.notificationMethod = notificationMethod;
	}

	/**
	 * A scanner for this codec and notification method, shared with other clients.
	 * @param codec the client's codec
	 * @param notificationMethod the dialect's notification method
	 * @return the scanner
	 */
	static NotificationScanner of(JsonRpcCodec codec, String notificationMethod) {
		NotificationScanner last = shared;
		if (last != null && last.codec == codec && last.notificationMethod.equals(notificationMethod)) {
			return last;
		}
		NotificationScanner made = new NotificationScanner(codec, notificationMethod);
		shared = made;
		return made;
	}

	/**
	 * Route {@code utf8} if it is a notification, or read its tree.
	 * @param utf8 a text frame's payload
	 * @param broadcast where channel data goes
	 * @return {@link #ROUTED} if it was a notification and is routed; the message's tree
	 * if it is something else; {@code null} if the caller must parse and route it with
	 * the mapper
	 */
	@Nullable Object route(byte[] utf8, InboundBroadcast broadcast) {
		JsonNodeFactory nodes = this.codec.treeNodes();
		if (nodes == null) {
			return null;
		}
		JsonTreeReader reader = JsonTreeReader.over(utf8, nodes);
		if (!reader.consume('{')) {
			return null;
		}
		@Nullable String method = null;
		@Nullable Envelope params = null;
		if (!reader.consume('}')) {
			do {
				String name = reader.readString();
				if (name == null || !reader.consume(':')) {
					return null;
				}
				if ((params != null && "params".equals(name)) || (method != null && "method".equals(name))) {
					// A repeated key: the last one counts, which the whole tree tells.
					return readDocument(utf8, nodes);
				}
				if ("params".equals(name) && reader.peek('{')
						&& (method == null || this.notificationMethod.equals(method))) {
					params = readParams(reader, broadcast);
					if (params == null) {
						return readDocument(utf8, nodes);
					}
					continue;
				}
				if ("method".equals(name) && reader.peek('"')) {
					method = reader.readString();
					if (method == null) {
						return null;
					}
					if (!this.notificationMethod.equals(method)) {
						// Not a notification, whatever follows: the tree, without
						// skipping the rest first.
						return readDocument(utf8, nodes);
					}
					continue;
				}
				if ("result".equals(name) || "error".equals(name)) {
					// A response is the correlator's, whatever else it carries. Usually
					// the last field and the largest: read the tree now rather than skip
					// it.
					return readDocument(utf8, nodes);
				}
				if (!reader.skipValue()) {
					return null;
				}
			}
			while (reader.consume(','));
			if (!reader.consume('}')) {
				return null;
			}
		}
		if (!reader.atEnd()) {
			return null;
		}
		if (params == null || !this.notificationMethod.equals(method)) {
			return readDocument(utf8, nodes);
		}
		if (params.sink != null && params.data != null) {
			params.sink.emit(params.data);
		}
		return ROUTED;
	}

	// Everything but a notification: the whole tree, read from the start (the first pass
	// only skipped, and stops as soon as it knows).
	private static @Nullable JsonNode readDocument(byte[] utf8, JsonNodeFactory nodes) {
		return JsonTreeReader.over(utf8, nodes).readDocument();
	}

	// After params' '{' is next; null unless it holds a string channel and a data field,
	// once each. The channel's sink is looked up once: the tree of data is built only if
	// it exists.
	private static @Nullable Envelope readParams(JsonTreeReader reader, InboundBroadcast broadcast) {
		reader.consume('{');
		@Nullable String channel = null;
		InboundBroadcast.@Nullable ChannelSink sink = null;
		@Nullable JsonNode data = null;
		boolean hasData = false;
		if (!reader.consume('}')) {
			do {
				String name = reader.readString();
				if (name == null || !reader.consume(':')) {
					return null;
				}
				if (("channel".equals(name) && channel != null) || ("data".equals(name) && hasData)) {
					// A repeated key: the last one counts, which the whole tree tells.
					return null;
				}
				if ("channel".equals(name)) {
					channel = reader.readString();
					if (channel == null) {
						return null;
					}
					sink = broadcast.channelSink(channel);
				}
				else if ("data".equals(name)) {
					hasData = true;
					if (channel != null && sink == null) {
						if (!reader.skipValue()) {
							return null;
						}
					}
					else {
						// Channel not known yet (data first) or subscribed: the tree is
						// needed.
						data = reader.readValue();
						if (data == null) {
							return null;
						}
					}
				}
				else if (!reader.skipValue()) {
					return null;
				}
			}
			while (reader.consume(','));
			if (!reader.consume('}')) {
				return null;
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
