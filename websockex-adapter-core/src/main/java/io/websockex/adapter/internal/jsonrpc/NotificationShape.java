package io.websockex.adapter.internal.jsonrpc;

/**
 * Implemented by the built-in JSON-RPC dialects, whose notifications have one known
 * shape: {@code {"method":<notification
 * method>,"params":{"channel":<name>,"data":<payload>}}}. Knowing it, the client reads
 * only a notification's envelope with the streaming parser and builds the tree of
 * {@code data} only for a channel that has a subscriber; a
 * {@link io.websockex.adapter.platform.Platform} of the user's own is always given the
 * whole parsed message.
 */
public interface NotificationShape {

	/**
	 * The {@code method} of channel notifications.
	 * @return the method
	 */
	String notificationMethod();

}
