package io.websockex.adapter;

import org.jspecify.annotations.Nullable;

/**
 * The connection dropped while an operation (a request, a queued send) was in flight. The
 * client reconnects on its own; the operation was not retried because it may or may not
 * have reached the server.
 */
public class ConnectionLostException extends WebsockexException {

	/**
	 * Create an exception.
	 * @param client the client's name
	 * @param what the operation that was in flight
	 * @param cause why the connection was lost, if known
	 */
	public ConnectionLostException(String client, String what, @Nullable Throwable cause) {
		super("websockex client '" + client + "' lost its connection while " + what
				+ " was in flight; it reconnects by itself: retry once it is CONNECTED again", cause);
	}

}
