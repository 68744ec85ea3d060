package io.websockex.adapter.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.websockex.adapter.Config;
import io.websockex.adapter.WebsockexClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;

/**
 * {@code idle-mem}: {@code connections} connected, idle clients against an {@code idle}
 * server. Heap (after GC) and threads are measured after one client is connected (so that
 * classes, event loops and shared pools are already counted) and again after the others;
 * the difference is divided by their number. {@code hold-seconds} keeps the JVM alive
 * afterwards, to inspect the heap.
 */
final class IdleMemBench {

	private static final int BATCH = 50;

	private IdleMemBench() {
	}

	static void run(Args args, String url, boolean raw, Results results) throws Exception {
		int connections = args.integer("connections", 1000);
		Opener opener = raw ? new RawOpener(url) : new WebsockexOpener(url);
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

		void open(int count) throws InterruptedException;

	}

	private static final class RawOpener implements Opener {

		private final HttpClient client = HttpClient.newConnection();

		private final String url;

		private final List<Disposable> open = new ArrayList<>();

		RawOpener(String url) {
			this.url = url;
		}

		@Override
		public void open(int count) throws InterruptedException {
			CountDownLatch connected = new CountDownLatch(count);
			for (int i = 0; i < count; i++) {
				this.open.add(this.client.websocket().uri(this.url).handle((in, out) -> {
					connected.countDown();
					return in.receive().then();
				}).subscribe());
			}
			if (!connected.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException(connected.getCount() + " raw connections did not open within 30s");
			}
		}

	}

	private static final class WebsockexOpener implements Opener {

		private final Config config;

		private final List<WebsockexClient> open = new ArrayList<>();

		WebsockexOpener(String url) {
			this.config = Config.builder(url).build();
		}

		@Override
		public void open(int count) {
			List<WebsockexClient> batch = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				WebsockexClient client = WebsockexClient.create("idle-" + this.open.size(), this.config);
				client.start();
				batch.add(client);
				this.open.add(client);
			}
			Flux.fromIterable(batch).flatMap(WebsockexClient::awaitConnected).blockLast(Duration.ofSeconds(30));
		}

	}

}
