package io.websockex.adapter.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.websockex.adapter.Config;
import io.websockex.adapter.WebsockexClient;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * {@code idle-mem}: {@code connections} connected, idle clients against an {@code idle}
 * server. Heap (after GC) and threads are measured after one client is connected (so that
 * classes, event loops and shared pools are already counted) and again after the others;
 * the difference is divided by their number. Every client has one text receiver, as an
 * application's would: websockex one {@code messages()} subscriber, each peer its text
 * callback. {@code hold-seconds} keeps the JVM alive afterwards, to inspect the heap.
 */
final class IdleMemBench {

	private static final int BATCH = 50;

	private IdleMemBench() {
	}

	/**
	 * @param peer the library to measure, or {@code null} for websockex
	 */
	static void run(Args args, String url, @Nullable Peer peer, Results results) throws Exception {
		int connections = args.integer("connections", 1000);
		Opener opener = (peer != null) ? new PeerOpener(peer, url) : new WebsockexOpener(url);
		opener.open(1);
		long heapBefore = settledHeap();
		int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
		for (int opened = 0; opened < connections; opened += BATCH) {
			opener.open(Math.min(BATCH, connections - opened));
		}
		long heapAfter = settledHeap();
		int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
		results.put("heap_per_conn_bytes", (heapAfter - heapBefore) / (double) connections);
		results.put("threads_per_conn", (threadsAfter - threadsBefore) / (double) connections);
		results.put("threads", threadsAfter);
		Results.note("heap before " + heapBefore + " after " + heapAfter + " for " + connections + " connections");
		// Time to take a class histogram (jcmd <pid> GC.class_histogram) of the idle
		// clients.
		Thread.sleep(TimeUnit.SECONDS.toMillis(args.number("hold-seconds", 0)));
		opener.close();
	}

	private static long settledHeap() throws InterruptedException {
		Thread.sleep(500);
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(200);
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	/** Opens connections and keeps them referenced, as an application would. */
	private interface Opener {

		void open(int count) throws Exception;

		void close();

	}

	private static final class PeerOpener implements Opener {

		private final Peer peer;

		private final String url;

		private final List<Peer.Connection> open = new ArrayList<>();

		PeerOpener(Peer peer, String url) {
			this.peer = peer;
			this.url = url;
		}

		@Override
		public void open(int count) throws Exception {
			List<CompletableFuture<Peer.Connection>> batch = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				batch.add(this.peer.connect(this.url, (text) -> {
				}));
			}
			try {
				CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
			}
			catch (TimeoutException ex) {
				long pending = batch.stream().filter((connection) -> !connection.isDone()).count();
				throw new IllegalStateException(pending + " connections did not open within 30s", ex);
			}
			for (CompletableFuture<Peer.Connection> connection : batch) {
				this.open.add(connection.join());
			}
		}

		@Override
		public void close() {
			this.open.forEach(Peer.Connection::close);
		}

	}

	private static final class WebsockexOpener implements Opener {

		private final Config config;

		private final List<WebsockexClient> open = new ArrayList<>();

		private final List<Disposable> subscriptions = new ArrayList<>();

		WebsockexOpener(String url) {
			this.config = Config.builder(url).build();
		}

		@Override
		public void open(int count) {
			List<WebsockexClient> batch = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				WebsockexClient client = WebsockexClient.create("idle-" + this.open.size(), this.config);
				// One subscriber made before connecting, as an application has, so that
				// its per-subscriber buffer is counted like the peers' text receivers.
				this.subscriptions.add(client.messages().subscribe((message) -> {
				}));
				client.start();
				batch.add(client);
				this.open.add(client);
			}
			Flux.fromIterable(batch).flatMap(WebsockexClient::awaitConnected).blockLast(Duration.ofSeconds(30));
		}

		@Override
		public void close() {
			this.subscriptions.forEach(Disposable::dispose);
			this.open.forEach((client) -> client.close().subscribe());
		}

	}

}
