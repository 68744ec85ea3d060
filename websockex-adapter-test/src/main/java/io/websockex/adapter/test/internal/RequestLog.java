package io.websockex.adapter.test.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Every JSON-RPC request the server received, in order, with bounded waits for the next
 * one of a method. Each wait returns a request at most once, so successive waits see
 * successive calls.
 */
public final class RequestLog {

	private final List<Request> requests = new ArrayList<>();

	private final Map<String, Integer> awaited = new HashMap<>();

	/**
	 * @param request a request just received
	 */
	public synchronized void add(Request request) {
		this.requests.add(request);
		notifyAll();
	}

	/** Forget every request so far (and what the waits returned). */
	public synchronized void clear() {
		this.requests.clear();
		this.awaited.clear();
	}

	/**
	 * @return every request so far
	 */
	public synchronized List<Request> all() {
		return List.copyOf(this.requests);
	}

	/**
	 * Wait for the next request of a method that no earlier wait returned.
	 * @param method the method
	 * @param timeout how long to wait
	 * @return the request
	 * @throws AssertionError naming the method and what did arrive, after the timeout
	 */
	public synchronized Request await(String method, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			int skip = this.awaited.getOrDefault(method, 0);
			for (int i = 0; i < this.requests.size(); i++) {
				Request request = this.requests.get(i);
				if (request.method().equals(method) && skip-- == 0) {
					this.awaited.merge(method, 1, Integer::sum);
					return request;
				}
			}
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				throw new AssertionError("no request '" + method + "' arrived within " + timeout + " (requests so far: "
						+ this.requests.stream().map(Request::method).toList() + "); is the client connected, "
						+ "and does it call this method?");
			}
			try {
				wait(Math.max(1, left / 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("interrupted while waiting for a request '" + method + "'", ex);
			}
		}
	}

	/**
	 * One request.
	 *
	 * @param connection the connection it arrived on
	 * @param method its method
	 * @param params its params (a missing node when absent)
	 * @param id its id, or a null node for a notification
	 * @param message the whole message
	 */
	public record Request(int connection, String method, JsonNode params, JsonNode id, JsonNode message) {
	}

}
