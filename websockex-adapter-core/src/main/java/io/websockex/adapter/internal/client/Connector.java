package io.websockex.adapter.internal.client;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;

/**
 * Where a session is opened: the seam between the {@link ConnectionLoop}'s state machine
 * and the network. {@link Transport} opens real WebSocket connections; the loop's unit
 * tests use a fake that opens sessions over an in-memory channel, in virtual time.
 * <p>
 * One attempt reports two things, at most once each and in this order: the upgraded
 * session, then its end (or only the end, when the attempt failed). A {@code Mono} could
 * carry only one of them, hence the listener.
 */
interface Connector {

	/**
	 * Start one connection attempt; returns at once.
	 * @param generation the attempt's generation, to be given to its session
	 * @param attempt hears the outcome, on any thread
	 * @return cancels the attempt, or drops its session
	 */
	Disposable open(long generation, Attempt attempt);

	/**
	 * Start an attempt whose session runs beside an open one, to replace it: on the same
	 * I/O thread where the transport can, so that the two sessions' inbound frames are
	 * still handled one at a time, in order, by one thread.
	 * @param generation the attempt's generation
	 * @param attempt hears the outcome, on any thread
	 * @param beside the session it will replace
	 * @return cancels the attempt, or drops its session
	 */
	default Disposable openBeside(long generation, Attempt attempt, Session beside) {
		return open(generation, attempt);
	}

	/**
	 * Hears one attempt.
	 */
	interface Attempt {

		/**
		 * The upgrade succeeded: the session is open and its inbound frames are routed.
		 * @param session the session
		 */
		void opened(Session session);

		/**
		 * The attempt failed, or its session ended.
		 * @param error the error, or {@code null} when the connection simply closed
		 */
		void ended(@Nullable Throwable error);

	}

}
