package io.websockex.adapter.internal.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * The traffic and connection counters of one client, totals since it was created. Plain
 * fields updated through {@link VarHandle}s, rather than a counter object each or an
 * array: an idle client's heap is part of what it costs. The traffic totals are longs;
 * the events (connects, overflows, violations, rotations) are ints, which no client lives
 * long enough to overflow, at half the size.
 */
final class ClientCounters {

	// The traffic totals: longs, the first five.

	static final int MESSAGES_RECEIVED = 0;

	static final int BYTES_RECEIVED = 1;

	static final int TEXT_SENT = 2;

	static final int BINARY_SENT = 3;

	static final int BYTES_SENT = 4;

	// The events: ints.

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

	private static final int FIRST_EVENT = INBOUND_OVERFLOWS;

	private static final String[] FIELDS = { "messagesReceived", "bytesReceived", "textSent", "binarySent", "bytesSent",
			"inboundOverflows", "connectionAttempts", "connectionFailures", "connectionSuccesses", "reconnects",
			"inboundTooLarge", "protocolErrors", "rotations", "rotationFailures" };

	// By counter. The per-frame and per-write paths use the constants below instead: a
	// handle read from an array is not a constant to the JIT.
	private static final VarHandle[] HANDLES = new VarHandle[FIELDS.length];

	private static final VarHandle MESSAGES;

	private static final VarHandle BYTES_IN;

	private static final VarHandle TEXTS;

	private static final VarHandle BINARIES;

	private static final VarHandle BYTES_OUT;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			for (int i = 0; i < FIELDS.length; i++) {
				HANDLES[i] = lookup.findVarHandle(ClientCounters.class, FIELDS[i],
						(i < FIRST_EVENT) ? long.class : int.class);
			}
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
		MESSAGES = HANDLES[MESSAGES_RECEIVED];
		BYTES_IN = HANDLES[BYTES_RECEIVED];
		TEXTS = HANDLES[TEXT_SENT];
		BINARIES = HANDLES[BINARY_SENT];
		BYTES_OUT = HANDLES[BYTES_SENT];
	}

	@SuppressWarnings("unused")
	private volatile long messagesReceived;

	@SuppressWarnings("unused")
	private volatile long bytesReceived;

	@SuppressWarnings("unused")
	private volatile long textSent;

	@SuppressWarnings("unused")
	private volatile long binarySent;

	@SuppressWarnings("unused")
	private volatile long bytesSent;

	@SuppressWarnings("unused")
	private volatile int inboundOverflows;

	@SuppressWarnings("unused")
	private volatile int connectionAttempts;

	@SuppressWarnings("unused")
	private volatile int connectionFailures;

	@SuppressWarnings("unused")
	private volatile int connectionSuccesses;

	@SuppressWarnings("unused")
	private volatile int reconnects;

	@SuppressWarnings("unused")
	private volatile int inboundTooLarge;

	@SuppressWarnings("unused")
	private volatile int protocolErrors;

	@SuppressWarnings("unused")
	private volatile int rotations;

	@SuppressWarnings("unused")
	private volatile int rotationFailures;

	void increment(int counter) {
		if (counter < FIRST_EVENT) {
			HANDLES[counter].getAndAdd(this, 1L);
		}
		else {
			HANDLES[counter].getAndAdd(this, 1);
		}
	}

	long get(int counter) {
		return (counter < FIRST_EVENT) ? (long) HANDLES[counter].getVolatile(this)
				: (int) HANDLES[counter].getVolatile(this);
	}

	/**
	 * Count an inbound frame. Only the current session's I/O thread calls this, and
	 * sessions follow one another, so a plain ordered write is enough on this per-frame
	 * path.
	 */
	void received(int bytes) {
		MESSAGES.setRelease(this, (long) MESSAGES.getAcquire(this) + 1);
		BYTES_IN.setRelease(this, (long) BYTES_IN.getAcquire(this) + bytes);
	}

	void sent(WebSocketFrame frame, int bytes) {
		if (frame instanceof TextWebSocketFrame) {
			TEXTS.getAndAdd(this, 1L);
		}
		else if (frame instanceof BinaryWebSocketFrame) {
			BINARIES.getAndAdd(this, 1L);
		}
		else {
			// Control frames (pings) are not messages.
			return;
		}
		BYTES_OUT.getAndAdd(this, (long) bytes);
	}

}
