package io.websockex.adapter;

import org.jspecify.annotations.Nullable;

/**
 * Base class of every error a caller of {@link WebsockexClient} can receive. Each message
 * says what happened, names the client and says what to do.
 */
public class WebsockexException extends RuntimeException {

	/**
	 * Create an exception.
	 * @param message what happened and what to do
	 * @param cause the underlying error, if any
	 */
	public WebsockexException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

	/**
	 * Create an exception.
	 * @param message what happened and what to do
	 */
	public WebsockexException(String message) {
		super(message);
	}

}
