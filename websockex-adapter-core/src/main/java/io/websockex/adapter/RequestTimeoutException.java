package io.websockex.adapter;

import java.time.Duration;

/**
 * No response arrived for a JSON-RPC request within the request timeout.
 */
public class RequestTimeoutException extends WebsockexException {

	private final String method;

	private final String id;

	private final Duration timeout;

	/**
	 * Create an exception.
	 * @param client the client's name
	 * @param method the request's method
	 * @param id the request's id
	 * @param timeout the timeout that elapsed
	 */
	public RequestTimeoutException(String client, String method, String id, Duration timeout) {
		super("websockex client '" + client + "': no response to request '" + method + "' (id " + id + ") within "
				+ timeout + "; the server may be slow or ignored it: retry, or raise request-timeout");
		this.method = method;
		this.id = id;
		this.timeout = timeout;
	}

	/**
	 * The request's method.
	 * @return the method
	 */
	public String method() {
		return this.method;
	}

	/**
	 * The request's id, as sent.
	 * @return the id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * The timeout that elapsed.
	 * @return the timeout
	 */
	public Duration timeout() {
		return this.timeout;
	}

}
