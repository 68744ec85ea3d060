package io.websockex.adapter.autoconfigure;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many times {@code @WebsockexListener} methods threw (or could not be given a
 * message), per client, since the application started. A bean, read by the actuator
 * endpoint and metrics ({@code websockex.listener.errors}).
 */
public final class WebsockexListenerErrors {

	private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

	WebsockexListenerErrors() {
	}

	void record(String client) {
		this.counts.computeIfAbsent(client, (name) -> new LongAdder()).increment();
	}

	// A client removed at run time takes its count with it: no entry per past client.
	void forget(String client) {
		this.counts.remove(client);
	}

	/**
	 * Listener errors of one client.
	 * @param client the client's name
	 * @return the count, {@code 0} if none
	 */
	public long count(String client) {
		LongAdder count = this.counts.get(client);
		return (count != null) ? count.sum() : 0;
	}

	/**
	 * Listener errors of every client that had one.
	 * @return client name to count, sorted by name
	 */
	public Map<String, Long> counts() {
		Map<String, Long> result = new TreeMap<>();
		this.counts.forEach((client, count) -> result.put(client, count.sum()));
		return Collections.unmodifiableMap(result);
	}

}
