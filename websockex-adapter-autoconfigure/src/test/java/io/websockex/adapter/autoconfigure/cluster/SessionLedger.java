package io.websockex.adapter.autoconfigure.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * A WebSocket server on 127.0.0.1 that records, per client name, how many sessions are
 * open at each moment: every open and close, in order, under one monitor, so that the
 * highest count ever seen is exact. Clients connect to {@code /ws/<client>/<instance>};
 * each session is greeted with {@code hello <client>}.
 */
final class SessionLedger implements AutoCloseable {

	private final Map<String, Integer> open = new ConcurrentHashMap<>();

	private final Map<String, Integer> highest = new ConcurrentHashMap<>();

	private final List<Change> changes = new CopyOnWriteArrayList<>();

	private final LoopResources loops = LoopResources.create("ledger", 1, true);

	private final DisposableServer server;

	SessionLedger() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			// Loops of its own: they outlive every instance under test.
			.runOn(this.loops)
			.route((routes) -> routes.get("/ws/{client}/{instance}", (request, response) -> {
				String client = request.param("client");
				String instance = request.param("instance");
				return response.sendWebsocket((in, out) -> {
					opened(client, instance);
					in.withConnection((connection) -> connection.onDispose(() -> closed(client, instance)));
					in.receive().subscribe(null, (error) -> {
					});
					return out.sendString(Mono.just("hello " + client)).then(Mono.never());
				});
			}))
			.bindNow(Duration.ofSeconds(10));
	}

	String url(String client, String instance) {
		return "ws://127.0.0.1:" + this.server.port() + "/ws/" + client + "/" + instance;
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
		this.server.disposeNow(Duration.ofSeconds(10));
		this.loops.disposeLater().block(Duration.ofSeconds(10));
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

}
