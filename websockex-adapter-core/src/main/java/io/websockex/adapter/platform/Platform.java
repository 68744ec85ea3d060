package io.websockex.adapter.platform;

import java.time.Duration;
import java.util.Collection;

import io.websockex.adapter.Credentials;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A server's dialect: how it spells subscribe, unsubscribe and auth, and what its
 * subscription notifications look like. Built in: {@link Platforms#deribit()},
 * {@link Platforms#jsonRpc()}, {@link Platforms#raw()}. Implement it for another server.
 * <p>
 * Its methods are called on the client's own threads, often the connection's I/O thread
 * (a Netty event loop shared with other connections): {@link #notification} for every
 * inbound frame, {@link #auth} and {@link #subscribe} after every connect, {@link #token}
 * on each auth answer. Keep them quick, pure computations: never block or do I/O in them
 * (fetch a token or read a key before the client starts, not in {@link #auth}).
 *
 * <pre>{@code
 * Platform ethereum = Platforms.jsonRpc("eth_subscribe", "eth_unsubscribe", "eth_subscription");
 * }</pre>
 */
public interface Platform {

	/**
	 * The dialect's name, as in the {@code platform} property.
	 * @return the name
	 */
	String name();

	/**
	 * Whether this dialect has subscriptions at all ({@code raw} does not).
	 * @return {@code true} if {@link #subscribe} and {@link #unsubscribe} are supported
	 */
	default boolean supportsSubscriptions() {
		return true;
	}

	/**
	 * The call that subscribes to channels.
	 * @param channels the channels, never empty
	 * @param authenticated whether the session authenticated (Deribit uses
	 * {@code private/subscribe} then)
	 * @return the call
	 */
	Call subscribe(Collection<String> channels, boolean authenticated);

	/**
	 * The call that unsubscribes from channels.
	 * @param channels the channels, never empty
	 * @param authenticated whether the session authenticated
	 * @return the call
	 */
	Call unsubscribe(Collection<String> channels, boolean authenticated);

	/**
	 * The call that authenticates a session, or {@code null} if the dialect has none.
	 * @param credentials the credentials
	 * @return the call, or {@code null}
	 */
	@Nullable Call auth(Credentials credentials);

	/**
	 * The token an answer to the {@link #auth} or {@link #refresh} call granted: how long
	 * it lives and what renews it. The client refreshes it on the live connection once
	 * {@code auth.refresh-at} of its life is over.
	 * @param result the call's {@code result}
	 * @return the token, or {@code null} if the answer says nothing of its life (then it
	 * is never refreshed); by default {@code null}
	 */
	default @Nullable Token token(JsonNode result) {
		return null;
	}

	/**
	 * The call that renews a token on the live connection, or {@code null} if the dialect
	 * has none (then the client authenticates again with its credentials).
	 * @param refreshToken the refresh token of the last answer
	 * @return the call, or {@code null}; by default {@code null}
	 */
	default @Nullable Call refresh(String refreshToken) {
		return null;
	}

	/**
	 * The most channels one subscribe or unsubscribe call may carry on this server, used
	 * when {@code max-channels-per-subscribe} is not set; larger sets are split into
	 * several calls.
	 * @return the cap; by default {@link Integer#MAX_VALUE} (none documented)
	 */
	default int maxChannelsPerSubscribe() {
		return Integer.MAX_VALUE;
	}

	/**
	 * Whether an error answer to the {@link #auth} call means the credentials are wrong,
	 * so that reconnecting cannot help (the client then stops with {@code FATAL_ERROR}).
	 * Other auth errors are retried like a lost connection.
	 * @param code the JSON-RPC error code
	 * @return {@code true} if the credentials were rejected; by default, always
	 */
	default boolean rejectsCredentials(int code) {
		return true;
	}

	/**
	 * The channel notification carried by an inbound JSON message, if it is one.
	 * @param message a parsed inbound message
	 * @return the notification, or {@code null} if the message is not one
	 */
	@Nullable Notification notification(JsonNode message);

	/**
	 * The sequence number a notification carries, if the dialect has one. While a session
	 * is rotated ({@code max-connection-age}) both the old and the new session deliver
	 * for a moment; notifications with a number are then delivered once each and in
	 * order, per channel.
	 * @param notification a notification of this dialect
	 * @return the number, or {@link #NO_SEQUENCE} (the default) when it carries none
	 */
	default long sequence(Notification notification) {
		return NO_SEQUENCE;
	}

	/** What {@link #sequence(Notification)} returns for a notification without one. */
	long NO_SEQUENCE = Long.MIN_VALUE;

	/**
	 * A JSON-RPC call to make: a method and its params.
	 *
	 * @param method the method
	 * @param params the params (anything Jackson can write)
	 */
	record Call(String method, Object params) {
	}

	/**
	 * What an auth answer granted. The refresh token is a secret: {@link #toString()}
	 * masks it, and the client never logs or shows it.
	 *
	 * @param expiresIn how long the token lives from the answer
	 * @param refreshToken what renews it, or {@code null}
	 */
	record Token(Duration expiresIn, @Nullable String refreshToken) {

		@Override
		public String toString() {
			return "Token[expiresIn=" + this.expiresIn + ", refreshToken="
					+ ((this.refreshToken != null) ? "******" : "none") + "]";
		}

	}

	/**
	 * A subscription notification: which channel and its data.
	 *
	 * @param channel the channel name
	 * @param data the notification's payload
	 */
	record Notification(String channel, JsonNode data) {
	}

}
