package io.websockex.adapter.client;

import java.util.concurrent.atomic.LongAdder;

import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * The traffic counters of one client, totals since it was created.
 */
final class ClientCounters {

	final LongAdder messagesReceived = new LongAdder();

	final LongAdder bytesReceived = new LongAdder();

	final LongAdder textSent = new LongAdder();

	final LongAdder binarySent = new LongAdder();

	final LongAdder bytesSent = new LongAdder();

	final LongAdder inboundOverflows = new LongAdder();

	final LongAdder connectionAttempts = new LongAdder();

	final LongAdder connectionFailures = new LongAdder();

	final LongAdder connectionSuccesses = new LongAdder();

	final LongAdder reconnects = new LongAdder();

	void received(int bytes) {
		this.messagesReceived.increment();
		this.bytesReceived.add(bytes);
	}

	void sent(WebSocketFrame frame, int bytes) {
		if (frame instanceof TextWebSocketFrame) {
			this.textSent.increment();
		}
		else if (frame instanceof BinaryWebSocketFrame) {
			this.binarySent.increment();
		}
		else {
			// Control frames (pings) are not messages.
			return;
		}
		this.bytesSent.add(bytes);
	}

}
