package io.websockex.adapter;

/**
 * A send was attempted while the client was not {@link ConnectionState#CONNECTED}.
 */
public class NotConnectedException extends WebsockexException {

	private final ConnectionState state;

	/**
	 * Create an exception.
	 * @param client the client's name
	 * @param state the state the client was in
	 */
	public NotConnectedException(String client, ConnectionState state) {
		super("websockex client '" + client + "' is " + state + ", not CONNECTED: wait for CONNECTED (states()) "
				+ "or retry after the reconnect");
		this.state = state;
	}

	/**
	 * Create an exception with a message of a subclass's own.
	 * @param state the state the client was in
	 * @param message what happened and what to do
	 */
	protected NotConnectedException(ConnectionState state, String message) {
		super(message);
		this.state = state;
	}

	/**
	 * The state the client was in when the send was attempted.
	 * @return the state
	 */
	public ConnectionState state() {
		return this.state;
	}

}
