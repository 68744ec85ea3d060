package io.websockex.adapter.bench;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.websockex.adapter.Config;
import io.websockex.adapter.WebsockexClient;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * {@code rpc}: JSON-RPC round trips against an {@code echo-rpc} server with
 * {@code in-flight} requests outstanding at all times (each response sends the next
 * request). The first {@code warmup} round trips are not measured; then {@code requests}
 * round trips give req/s and the latency percentiles. Every driver but websockex
 * correlates ids by hand ({@link HandRpc}); websockex uses its {@code request(...)}.
 */
final class RpcBench {

	private static final String METHOD = "public/test";

	private static final Map<String, Object> PARAMS = Map.of();

	private RpcBench() {
	}

	/**
	 * @param peer the library to measure, or {@code null} for websockex
	 */
	static void run(Args args, String url, @Nullable Peer peer, Results results) throws Exception {
		int inFlight = args.integer("in-flight", 64);
		long warmup = args.number("warmup", 30_000);
		long requests = args.number("requests", 100_000);
		Caller caller;
		Runnable close;
		if (peer != null) {
			HandRpc rpc = new HandRpc(METHOD);
			close = rpc.open(peer, url)::close;
			caller = rpc;
		}
		else {
			WebsockexClient client = WebsockexClient.connect(Config.builder(url).build()).block(Duration.ofSeconds(10));
			close = () -> client.close().subscribe();
			caller = (callback) -> client.request(METHOD, PARAMS).subscribe(callback::onResult, callback::onError);
		}
		Load load = new Load(caller, warmup, warmup + requests);
		load.start(inFlight);
		load.await(args.number("timeout-seconds", 600));
		close.run();
		Histogram latency = load.latency;
		results.put("req_per_s", load.perSecond(requests));
		results.put("cpu_us_per_req", load.cpuMicrosPerRequest(requests));
		results.put("p50_us", latency.getValueAtPercentile(50) / 1000.0);
		results.put("p99_us", latency.getValueAtPercentile(99) / 1000.0);
		results.put("p999_us", latency.getValueAtPercentile(99.9) / 1000.0);
	}

	/** Makes one request. */
	interface Caller {

		void call(Callback callback);

	}

	/** The outcome of one request. */
	interface Callback {

		void onResult(@Nullable JsonNode result);

		void onError(Throwable error);

	}

	/**
	 * Keeps a fixed number of requests in flight and records each round trip after the
	 * warm-up.
	 */
	private static final class Load {

		final Histogram latency = new SynchronizedHistogram(TimeUnit.SECONDS.toNanos(60), 3);

		private final Caller caller;

		private final long warmup;

		private final long total;

		private final AtomicLong issued = new AtomicLong();

		private final AtomicLong completed = new AtomicLong();

		private final CountDownLatch done = new CountDownLatch(1);

		private volatile long measureStart;

		private volatile long measureEnd;

		private volatile long measureStartCpu;

		private volatile long measureEndCpu;

		private volatile @Nullable Throwable failure;

		Load(Caller caller, long warmup, long total) {
			this.caller = caller;
			this.warmup = warmup;
			this.total = total;
		}

		void start(int inFlight) {
			if (this.warmup == 0) {
				this.measureStart = System.nanoTime();
				this.measureStartCpu = CpuTime.processNanos();
			}
			for (int i = 0; i < inFlight; i++) {
				issue();
			}
		}

		private void issue() {
			if (this.issued.incrementAndGet() > this.total) {
				return;
			}
			long start = System.nanoTime();
			this.caller.call(new Callback() {

				@Override
				public void onResult(@Nullable JsonNode result) {
					// The echo server's result: a response routed to the wrong request
					// or mangled on the way would not carry it.
					if (result == null || !result.has("version")) {
						onError(new IllegalStateException("a response without the server's result: " + result));
						return;
					}
					completed(start);
				}

				@Override
				public void onError(Throwable error) {
					Load.this.failure = error;
					Load.this.done.countDown();
				}

			});
		}

		private void completed(long start) {
			long now = System.nanoTime();
			long n = this.completed.incrementAndGet();
			if (n > this.warmup) {
				this.latency.recordValue(now - start);
			}
			if (n == this.warmup) {
				this.measureStart = now;
				this.measureStartCpu = CpuTime.processNanos();
			}
			if (n == this.total) {
				this.measureEnd = now;
				this.measureEndCpu = CpuTime.processNanos();
				this.done.countDown();
			}
			else {
				issue();
			}
		}

		void await(long timeoutSeconds) throws InterruptedException {
			if (!this.done.await(timeoutSeconds, TimeUnit.SECONDS)) {
				throw new IllegalStateException("only " + this.completed.get() + " of " + this.total
						+ " round trips completed within " + timeoutSeconds + "s");
			}
			Throwable error = this.failure;
			if (error != null) {
				throw new IllegalStateException("a request failed", error);
			}
		}

		double cpuMicrosPerRequest(long requests) {
			return (this.measureEndCpu - this.measureStartCpu) / 1000.0 / requests;
		}

		double perSecond(long requests) {
			return requests * 1e9 / (this.measureEnd - this.measureStart);
		}

	}

}
