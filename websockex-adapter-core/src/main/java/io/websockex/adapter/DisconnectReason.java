package io.websockex.adapter;

/**
 * Why a client is {@link ConnectionState#DISCONNECTED}.
 */
public enum DisconnectReason {

	/**
	 * The client was created and not started yet.
	 */
	NOT_STARTED,

	/**
	 * {@link WebsockexClient#close()} was called: no reconnect follows.
	 */
	CLOSED_BY_USER,

	/**
	 * {@code retry-count} reconnect attempts in a row failed.
	 */
	GAVE_UP,

	/**
	 * An error that retrying cannot fix: the upgrade was answered 401 or 403, or the
	 * server's TLS certificate was rejected.
	 */
	FATAL_ERROR,

	/**
	 * The connection was lost and {@code reconnect-on-error} is {@code false}.
	 */
	CONNECTION_LOST;

	/**
	 * Whether this reason means the feed is down against the user's wishes (health
	 * {@code DOWN}), as opposed to not started or deliberately closed.
	 * @return {@code true} for {@link #GAVE_UP}, {@link #FATAL_ERROR} and
	 * {@link #CONNECTION_LOST}
	 */
	public boolean isFailure() {
		return this == GAVE_UP || this == FATAL_ERROR || this == CONNECTION_LOST;
	}

}
