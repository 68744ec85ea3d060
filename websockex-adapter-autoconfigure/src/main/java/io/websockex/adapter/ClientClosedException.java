package io.websockex.adapter;

/**
 * The client was closed (by {@link WebsockexClient#close()} or context shutdown) while an
 * operation was in flight or after it was closed.
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

}
