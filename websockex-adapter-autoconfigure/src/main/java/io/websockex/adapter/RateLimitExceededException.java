package io.websockex.adapter;

/**
 * A send was refused because the rate limiter's queue was full.
 */
public class RateLimitExceededException extends WebsockexException {

	/**
	 * Create an exception.
	 * @param client the client's name
	 * @param maxQueue the queue bound that was reached
	 */
	public RateLimitExceededException(String client, int maxQueue) {
		super("websockex client '" + client + "': rate limit reached and " + maxQueue
				+ " sends already wait for tokens; slow down, or raise rate-limit.max-queue");
	}

}
