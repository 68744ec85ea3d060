package io.websockex.adapter.autoconfigure;

import io.websockex.adapter.WebsockexException;

/**
 * A client with {@code fail-fast: true} did not connect when the application context
 * started, so the context does not start.
 */
public class WebsockexStartupException extends WebsockexException {

	private final String clientName;

	private final String url;

	private final String reason;

	/**
	 * Create an exception.
	 * @param clientName the client's name
	 * @param url the masked URL
	 * @param reason why it did not connect (no secrets)
	 * @param cause the underlying error, if any
	 */
	public WebsockexStartupException(String clientName, String url, String reason, Throwable cause) {
		super("websockex client '" + clientName + "' (fail-fast) did not connect to " + url + " at start-up: " + reason,
				cause);
		this.clientName = clientName;
		this.url = url;
		this.reason = reason;
	}

	/**
	 * The client's name.
	 * @return the name
	 */
	public String clientName() {
		return this.clientName;
	}

	/**
	 * The URL, with secrets masked.
	 * @return the URL
	 */
	public String url() {
		return this.url;
	}

	/**
	 * Why the client did not connect.
	 * @return the reason
	 */
	public String reason() {
		return this.reason;
	}

}
