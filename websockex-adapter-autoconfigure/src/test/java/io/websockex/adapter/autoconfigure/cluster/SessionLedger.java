package io.websockex.adapter.autoconfigure.cluster;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.websockex.adapter.test.TestConnection;
import io.websockex.adapter.test.WebsockexTestServer;
import org.jspecify.annotations.Nullable;

/**
 * A {@link WebsockexTestServer#raw() raw test server} that records, per client name, how
 * many sessions are open at each moment: every open (handshake done) and close (socket
 * closed), in order, under one monitor, so that the highest count ever seen is exact.
 * Clients connect to {@code /ws/<client>/<instance>}; each session is greeted with
 * {@code hello <client>}.
 */
final class SessionLedger implements AutoCloseable {

	private final Map<String, Integer> open = new ConcurrentHashMap<>();

	private final Map<String, Integer> highest = new ConcurrentHashMap<>();

	private final List<Change> changes = new CopyOnWriteArrayList<>();

	private final WebsockexTestServer server = WebsockexTestServer.raw();

	SessionLedger() {
		this.server.onConnect((connection) -> {
			Session session = Session.of(connection);
			if (session != null) {
				opened(session.client(), session.instance());
				connection.send("hello " + session.client());
			}
		}).onDisconnect((connection) -> {
			Session session = Session.of(connection);
			if (session != null) {
				closed(session.client(), session.instance());
			}
		});
	}

	String url(String client, String instance) {
		return this.server.url("/ws/" + client + "/" + instance);
	}

	private synchronized void opened(String client, String instance) {
		int now = this.open.merge(client, 1, Integer::sum);
		this.highest.merge(client, now, Math::max);
		this.changes.add(new Change(System.nanoTime(), client, instance, true, now));
	}

	private synchronized void closed(String client, String instance) {
		int now = this.open.merge(client, -1, Integer::sum);
		this.changes.add(new Change(System.nanoTime(), client, instance, false, now));
	}

	/** Sessions of a client open now. */
	int open(String client) {
		return this.open.getOrDefault(client, 0);
	}

	/** The most sessions of a client ever open at the same moment. */
	int highest(String client) {
		return this.highest.getOrDefault(client, 0);
	}

	/** Sessions of a client opened so far. */
	long opened(String client) {
		return this.changes.stream().filter((change) -> change.client.equals(client) && change.opened).count();
	}

	/** The instance whose session of a client is open now, or null. */
	synchronized String holder(String client) {
		String holder = null;
		for (Change change : this.changes) {
			if (change.client.equals(client)) {
				holder = change.opened ? change.instance : null;
			}
		}
		return holder;
	}

	/** Every change, in order. */
	List<Change> changes() {
		return List.copyOf(this.changes);
	}

	@Override
	public void close() {
		this.server.close();
	}

	/**
	 * One session opened or closed.
	 *
	 * @param nanos when, by {@link System#nanoTime()}
	 * @param client the client's name
	 * @param instance the instance it came from
	 * @param opened opened or closed
	 * @param openAfter sessions of that client open after the change
	 */
	record Change(long nanos, String client, String instance, boolean opened, int openAfter) {
	}

	/**
	 * Whose session a connection is.
	 *
	 * @param client the client's name
	 * @param instance the instance it came from
	 */
	private record Session(String client, String instance) {

		// From /ws/<client>/<instance>; null for any other path, which no instance under
		// test connects to.
		static @Nullable Session of(TestConnection connection) {
			String[] segments = connection.path().split("/");
			return (segments.length == 4 && segments[0].isEmpty() && segments[1].equals("ws"))
					? new Session(segments[2], segments[3]) : null;
		}

	}

}
