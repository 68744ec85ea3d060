package io.websockex.adapter.client;

import java.util.concurrent.atomic.AtomicLongArray;

import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * The traffic and connection counters of one client, totals since it was created. One
 * array rather than a counter object each: an idle client's heap is part of what it
 * costs.
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

	private final AtomicLongArray values = new AtomicLongArray(10);

	void increment(int counter) {
		this.values.incrementAndGet(counter);
	}

	long get(int counter) {
		return this.values.get(counter);
	}

	/**
	 * Count an inbound frame. Only the current session's I/O thread calls this, and
	 * sessions follow one another, so a plain ordered write is enough on this per-frame
	 * path.
	 */
	void received(int bytes) {
		this.values.lazySet(MESSAGES_RECEIVED, this.values.get(MESSAGES_RECEIVED) + 1);
		this.values.lazySet(BYTES_RECEIVED, this.values.get(BYTES_RECEIVED) + bytes);
	}

	void sent(WebSocketFrame frame, int bytes) {
		if (frame instanceof TextWebSocketFrame) {
			this.values.incrementAndGet(TEXT_SENT);
		}
		else if (frame instanceof BinaryWebSocketFrame) {
			this.values.incrementAndGet(BINARY_SENT);
		}
		else {
			// Control frames (pings) are not messages.
			return;
		}
		this.values.addAndGet(BYTES_SENT, bytes);
	}

}
