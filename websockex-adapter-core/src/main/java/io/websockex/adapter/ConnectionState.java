package io.websockex.adapter;

/**
 * The state of a {@link WebsockexClient}'s connection.
 *
 * <p>
 * Why a client is {@link #DISCONNECTED} is in {@link ClientMetrics#disconnectReason()}.
 */
public enum ConnectionState {

	/**
	 * Opening a session: the first attempt, a reconnect attempt, or the backoff wait
	 * before one.
	 */
	CONNECTING,

	/**
	 * The WebSocket upgrade succeeded and the session is open.
	 */
	CONNECTED,

	/**
	 * No session and none coming: not started, closed by the user, gave up, or a fatal
	 * error.
	 */
	DISCONNECTED

}
