package io.websockex.adapter.internal.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * The traffic and connection counters of one client, totals since it was created. One
 * plain array updated through a {@link VarHandle}, rather than a counter object each or
 * an {@code AtomicLongArray} around it: an idle client's heap is part of what it costs.
 */
final class ClientCounters {

	static final int MESSAGES_RECEIVED = 0;

	static final int BYTES_RECEIVED = 1;

	static final int TEXT_SENT = 2;

	static final int BINARY_SENT = 3;

	static final int BYTES_SENT = 4;

	static final int INBOUND_OVERFLOWS = 5;

	static final int CONNECTION_ATTEMPTS = 6;

	static final int CONNECTION_FAILURES = 7;

	static final int CONNECTION_SUCCESSES = 8;

	static final int RECONNECTS = 9;

	static final int INBOUND_TOO_LARGE = 10;

	static final int PROTOCOL_ERRORS = 11;

	/** Sessions replaced by a newer one without a gap (max-connection-age). */
	static final int ROTATIONS = 12;

	/** Rotations given up (the new session failed); the old one stayed. */
	static final int ROTATION_FAILURES = 13;

	private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(long[].class);

	private final long[] values = new long[14];

	void increment(int counter) {
		VALUES.getAndAdd(this.values, counter, 1L);
	}

	long get(int counter) {
		return (long) VALUES.getVolatile(this.values, counter);
	}

	/**
	 * Count an inbound frame. Only the current session's I/O thread calls this, and
	 * sessions follow one another, so a plain ordered write is enough on this per-frame
	 * path.
	 */
	void received(int bytes) {
		VALUES.setRelease(this.values, MESSAGES_RECEIVED, get(MESSAGES_RECEIVED) + 1);
		VALUES.setRelease(this.values, BYTES_RECEIVED, get(BYTES_RECEIVED) + bytes);
	}

	void sent(WebSocketFrame frame, int bytes) {
		if (frame instanceof TextWebSocketFrame) {
			increment(TEXT_SENT);
		}
		else if (frame instanceof BinaryWebSocketFrame) {
			increment(BINARY_SENT);
		}
		else {
			// Control frames (pings) are not messages.
			return;
		}
		VALUES.getAndAdd(this.values, BYTES_SENT, (long) bytes);
	}

}
