package io.websockex.adapter.client;

import java.util.concurrent.atomic.LongAdder;

/**
 * The traffic counters of one client, totals since it was created.
 */
final class ClientCounters {

	final LongAdder messagesReceived = new LongAdder();

	final LongAdder bytesReceived = new LongAdder();

	final LongAdder messagesSent = new LongAdder();

	final LongAdder bytesSent = new LongAdder();

	final LongAdder inboundOverflows = new LongAdder();

	final LongAdder connectionAttempts = new LongAdder();

	final LongAdder reconnects = new LongAdder();

	void received(int bytes) {
		this.messagesReceived.increment();
		this.bytesReceived.add(bytes);
	}

	void sent(int bytes) {
		this.messagesSent.increment();
		this.bytesSent.add(bytes);
	}

}
