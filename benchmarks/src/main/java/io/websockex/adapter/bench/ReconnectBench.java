package io.websockex.adapter.bench;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.websockex.adapter.Config;
import io.websockex.adapter.ConnectionState;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.platform.Platforms;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

/**
 * {@code reconnect}: {@code drops} times, the client asks an {@code idle} server to drop
 * its connection (close 1012, and the server stays up, so it is back at once); the time
 * from that request to {@code CONNECTED} again is recorded. Backoff is
 * {@code retry-delay} without jitter, so the target is that delay plus 50 ms. The raw
 * driver reconnects with a hand-written loop that waits the same fixed delay.
 */
final class ReconnectBench {

	private ReconnectBench() {
	}

	static void run(Args args, String url, boolean raw, Results results) throws Exception {
		int drops = args.integer("drops", 50);
		Duration delay = Duration.ofMillis(args.number("retry-delay-ms", 100));
		Histogram recovery = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
		Reconnecting client = raw ? new RawReconnecting(url, delay) : new WebsockexReconnecting(url, delay);
		for (int i = 0; i < drops; i++) {
			// Let the new session settle, as a real outage does not follow a connect at
			// once.
			Thread.sleep(20);
			long start = System.nanoTime();
			long connectedAt = client.dropAndAwaitConnected();
			recovery.recordValue(connectedAt - start);
		}
		results.put("median_ms", recovery.getValueAtPercentile(50) / 1e6);
		results.put("p90_ms", recovery.getValueAtPercentile(90) / 1e6);
		results.put("max_ms", recovery.getMaxValue() / 1e6);
		results.put("backoff_ms", delay.toMillis());
	}

	/** A client that can be asked to have its connection dropped. */
	private interface Reconnecting {

		/**
		 * @return {@link System#nanoTime()} when connected again
		 */
		long dropAndAwaitConnected() throws Exception;

	}

	private static final class WebsockexReconnecting implements Reconnecting {

		private final WebsockexClient client;

		WebsockexReconnecting(String url, Duration delay) {
			this.client = WebsockexClient
				.connect(Config.builder(url).platform(Platforms.raw()).retryDelay(delay).backoffJitter(0).build())
				.block(Duration.ofSeconds(10));
		}

		@Override
		public long dropAndAwaitConnected() throws Exception {
			CompletableFuture<Long> connected = this.client.states()
				.skipUntil((state) -> state != ConnectionState.CONNECTED)
				.filter((state) -> state == ConnectionState.CONNECTED)
				.next()
				.map((state) -> System.nanoTime())
				.toFuture();
			this.client.send("drop").block(Duration.ofSeconds(5));
			return connected.get(10, TimeUnit.SECONDS);
		}

	}

	/**
	 * The reference: on every end of the connection, wait the delay and connect again.
	 */
	private static final class RawReconnecting implements Reconnecting {

		private final HttpClient http = HttpClient.newConnection();

		private final String url;

		private final Duration delay;

		private final BlockingQueue<Long> connects = new LinkedBlockingQueue<>();

		private volatile @Nullable Channel channel;

		RawReconnecting(String url, Duration delay) throws InterruptedException {
			this.url = url;
			this.delay = delay;
			connect();
			if (this.connects.poll(10, TimeUnit.SECONDS) == null) {
				throw new IllegalStateException("raw client did not connect to " + url + " within 10s");
			}
		}

		private void connect() {
			this.http.websocket().uri(this.url).handle((in, out) -> {
				in.withConnection((c) -> this.channel = c.channel());
				this.connects.add(System.nanoTime());
				return in.receive().then();
			}).subscribe(null, (error) -> retry(), this::retry);
		}

		private void retry() {
			this.channel = null;
			Schedulers.parallel().schedule(this::connect, this.delay.toNanos(), TimeUnit.NANOSECONDS);
		}

		@Override
		public long dropAndAwaitConnected() throws Exception {
			Channel current = this.channel;
			if (current == null) {
				throw new IllegalStateException("raw client is not connected");
			}
			current.writeAndFlush(new TextWebSocketFrame("drop"));
			Long connectedAt = this.connects.poll(10, TimeUnit.SECONDS);
			if (connectedAt == null) {
				throw new IllegalStateException("raw client did not reconnect within 10s");
			}
			return connectedAt;
		}

	}

}
