package io.websockex.adapter;

import java.time.Duration;

/**
 * How one JSON-RPC request ended, for metrics: see
 * {@link WebsockexClient#observeRequests(java.util.function.Consumer)}.
 *
 * @param method the request's method
 * @param outcome how it ended
 * @param duration from the call to its end, rate-limit wait included
 */
public record RequestOutcome(String method, Outcome outcome, Duration duration) {

	/**
	 * How a request ended.
	 */
	public enum Outcome {

		/** A {@code result} arrived. */
		SUCCESS,

		/** The server answered with an {@code error}. */
		ERROR,

		/** No response within {@code request-timeout}. */
		TIMEOUT,

		/** The connection dropped or the client closed first. */
		CONNECTION_LOST,

		/**
		 * Refused before it was sent: not connected, rate-limit queue or outbound buffer
		 * full.
		 */
		REJECTED,

		/** The caller cancelled it. */
		CANCELLED;

		/**
		 * The outcome of a request that failed with an error.
		 * @param error the error
		 * @return the outcome
		 */
		public static Outcome ofError(Throwable error) {
			if (error instanceof JsonRpcErrorException) {
				return ERROR;
			}
			if (error instanceof RequestTimeoutException) {
				return TIMEOUT;
			}
			if (error instanceof ConnectionLostException || error instanceof ClientClosedException) {
				return CONNECTION_LOST;
			}
			return REJECTED;
		}

	}

}
