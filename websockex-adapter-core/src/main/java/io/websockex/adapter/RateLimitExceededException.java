package io.websockex.adapter;

/**
 * A send was refused by the rate limiter: its queue was full, or the send costs more
 * tokens than the bucket can ever hold.
 */
public class RateLimitExceededException extends WebsockexException {

	/**
	 * Create an exception for a full queue.
	 * @param client the client's name
	 * @param maxQueue the queue bound that was reached
	 */
	public RateLimitExceededException(String client, int maxQueue) {
		super("websockex client '" + client + "': rate limit reached and " + maxQueue
				+ " sends already wait for tokens; slow down, or raise rate-limit.max-queue");
	}

	/**
	 * Create an exception with a message of its own.
	 * @param message what happened and what to do
	 */
	protected RateLimitExceededException(String message) {
		super(message);
	}

	/**
	 * The exception for a send that costs more than the bucket holds, so that waiting
	 * would never end.
	 * @param client the client's name
	 * @param cost the send's cost
	 * @param capacity the bucket size
	 * @return the exception
	 */
	public static RateLimitExceededException costAboveCapacity(String client, int cost, int capacity) {
		return new RateLimitExceededException("websockex client '" + client + "': a send costs " + cost
				+ " tokens but the bucket holds only " + capacity
				+ " (rate-limit.capacity), so it could never be sent; " + "raise rate-limit.capacity to at least "
				+ cost + ", or lower that method's cost in rate-limit.cost");
	}

}
