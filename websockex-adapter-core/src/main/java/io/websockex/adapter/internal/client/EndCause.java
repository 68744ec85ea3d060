package io.websockex.adapter.internal.client;

import java.util.function.Function;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

/**
 * Why one session ended: set once per session, by whoever sees the end first (a
 * {@link Session#end(EndCause) compare-and-set}, as OkHttp's {@code failWebSocket} does),
 * and read by the {@link ConnectionLoop} when the session is over, to decide between
 * reconnecting at once, reconnecting after a backoff, and giving up.
 */
sealed interface EndCause {

	/**
	 * The reason in words, for logs and {@code lastError}.
	 * @param describer describes errors without secrets
	 * @return the reason
	 */
	String describe(Function<Throwable, String> describer);

	/**
	 * Whether the session must not be followed by a reconnect.
	 * @return {@code true} for {@link Fatal}
	 */
	default boolean isFatal() {
		return false;
	}

	/**
	 * The server sent a close frame.
	 *
	 * @param code the status code
	 * @param reason the reason text, possibly empty
	 */
	record ServerClosed(int code, String reason) implements EndCause {

		@Override
		public String describe(Function<Throwable, String> describer) {
			if (this.code == WebSocketCloseStatus.ABNORMAL_CLOSURE.code()) {
				return Dropped.INSTANCE.describe(describer);
			}
			return "server closed the connection with " + this.code
					+ (this.reason.isEmpty() ? "" : " (" + this.reason + ")");
		}

	}

	/**
	 * The socket failed, or the server sent what the protocol forbids (an oversize or
	 * corrupt frame).
	 *
	 * @param error the error
	 */
	record TransportError(Throwable error) implements EndCause {

		@Override
		public String describe(Function<Throwable, String> describer) {
			return describer.apply(this.error);
		}

	}

	/**
	 * The connection closed with neither a close frame nor an error.
	 */
	enum Dropped implements EndCause {

		/** The one instance. */
		INSTANCE;

		@Override
		public String describe(Function<Throwable, String> describer) {
			return "connection closed without a close frame";
		}

	}

	/**
	 * The heartbeat declared the connection dead.
	 *
	 * @param detail what the heartbeat saw, naming the property
	 */
	record HeartbeatDead(String detail) implements EndCause {

		@Override
		public String describe(Function<Throwable, String> describer) {
			return this.detail;
		}

	}

	/**
	 * The after-connect setup (auth, heartbeat, restore) failed in a way a new session
	 * may not: reconnect with backoff.
	 *
	 * @param detail what failed
	 */
	record SetupFailed(String detail) implements EndCause {

		@Override
		public String describe(Function<Throwable, String> describer) {
			return this.detail;
		}

	}

	/**
	 * Retrying cannot help (credentials rejected): do not reconnect.
	 *
	 * @param detail what failed and which property to fix
	 */
	record Fatal(String detail) implements EndCause {

		@Override
		public String describe(Function<Throwable, String> describer) {
			return this.detail;
		}

		@Override
		public boolean isFatal() {
			return true;
		}

	}

	/**
	 * The user or an operator asked for a reconnect: not an error.
	 */
	enum ReconnectRequested implements EndCause {

		/** The one instance. */
		INSTANCE;

		@Override
		public String describe(Function<Throwable, String> describer) {
			return "reconnect requested";
		}

	}

	/**
	 * The session was replaced by a newer one ({@code max-connection-age}): not an error,
	 * and nothing follows it.
	 */
	enum Rotated implements EndCause {

		/** The one instance. */
		INSTANCE;

		@Override
		public String describe(Function<Throwable, String> describer) {
			return "replaced by a new session (max-connection-age)";
		}

	}

	/**
	 * The user closed or disconnected the client.
	 */
	enum ClosedByUser implements EndCause {

		/** The one instance. */
		INSTANCE;

		@Override
		public String describe(Function<Throwable, String> describer) {
			return "closed by the user";
		}

	}

}
