package io.websockex.adapter;

/**
 * A bounded buffer overflowed: a subscriber of {@link WebsockexClient#messages()} or
 * {@link WebsockexClient#channel(String)} fell more than {@code inbound-buffer} messages
 * behind (that subscriber is terminated; the connection and other subscribers go on), or
 * more than {@code outbound-buffer} frames waited to be written (that send fails; the
 * socket stays open).
 */
public class BufferOverflowException extends WebsockexException {

	/**
	 * Create an exception.
	 * @param message what overflowed and what to do
	 */
	public BufferOverflowException(String message) {
		super(message);
	}

}
