package io.websockex.adapter;

/**
 * The client was closed (by {@link WebsockexClient#close()} or context shutdown) or
 * disconnected (by {@link WebsockexClient#disconnect()} or a context stop) while an
 * operation was in flight or after that.
 */
public class ClientClosedException extends WebsockexException {

	/**
	 * Create an exception.
	 * @param client the client's name
	 * @param what the operation that was refused or cancelled
	 */
	public ClientClosedException(String client, String what) {
		super("websockex client '" + client + "' is closed; " + what
				+ " was not completed: create or start a new client to send again");
	}

	/**
	 * Create an exception.
	 * @param client the client's name
	 * @param what the operation that was refused or cancelled
	 * @param disconnected {@code true} if the client was disconnected and can be started
	 * again
	 */
	public ClientClosedException(String client, String what, boolean disconnected) {
		super(disconnected
				? "websockex client '" + client + "' is disconnected; " + what
						+ " was not completed: start() the client (or its application context) again to send"
				: "websockex client '" + client + "' is closed; " + what
						+ " was not completed: create or start a new client to send again");
	}

}
