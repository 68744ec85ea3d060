package io.websockex.adapter.bench;

import java.util.function.Consumer;

import io.websockex.adapter.Config;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.platform.Platforms;
import org.jspecify.annotations.Nullable;

/**
 * {@code inbound} and {@code inbound-json}: one connection to a {@code blast} server,
 * {@code frames} notifications, timed in steady state after the first {@code warmup}
 * frames and also from connect (cold). {@code inbound} only counts frames (websockex with
 * the {@code raw} platform, so nothing parses them); {@code inbound-json} parses each one
 * and routes it to the ticker channel's consumer ({@link TickerRouter} for every driver
 * but websockex, which has its own {@code channel(...)}). A run fails unless exactly the
 * frames sent arrived; {@code cold100k_msgs_per_s} is the rate over the first
 * {@code cold-frames} (100,000) frames from before the library made its first object
 * (websockex's {@code create}, a peer's {@code OkHttpClient} or {@code HttpClient}), JIT
 * warm-up and connect included, and {@code first_frame_ms} the time from then to the
 * first frame.
 */
final class InboundBench {

	private InboundBench() {
	}

	/**
	 * @param peer the library to measure, or {@code null} for websockex
	 * @param madeAt {@link System#nanoTime()} before the peer was made (for websockex,
	 * before it is created here): where the cold-start figures start
	 */
	static void run(Args args, String url, @Nullable Peer peer, long madeAt, boolean json, Results results)
			throws Exception {
		long frames = args.number("frames", 2_000_000);
		long warmup = args.number("warmup", frames / 4);
		String target = url + (url.contains("?") ? "&" : "?") + "frames=" + frames;
		FrameCounter counter = new FrameCounter(frames, warmup, args.number("cold-frames", 100_000));
		Runnable close;
		counter.start(madeAt);
		if (peer != null) {
			Consumer<String> onText = json ? new TickerRouter(counter) : (text) -> counter.onFrame(text.length());
			close = peer.open(target, onText)::close;
		}
		else {
			WebsockexClient client = json ? websockexJson(target, counter) : websockexCount(target, counter);
			close = () -> client.close().subscribe();
		}
		counter.await(args.number("timeout-seconds", 300));
		// Frames that arrive after the last one counted (a repeat) would show here.
		Thread.sleep(200);
		close.run();
		counter.checkReceivedAll();
		results.put("received", counter.received());
		results.put("cold100k_msgs_per_s", counter.coldStartPerSecond());
		results.put("first_frame_ms", counter.firstFrameMillis());
		results.put("msgs_per_s", counter.steadyPerSecond());
		results.put("cold_msgs_per_s", counter.coldPerSecond());
		results.put("cpu_ns_per_msg", counter.cpuNanosPerFrame());
		Results.note("checksum " + counter.checksum());
	}

	private static WebsockexClient websockexCount(String url, FrameCounter counter) {
		WebsockexClient client = WebsockexClient.create("bench", Config.builder(url).platform(Platforms.raw()).build());
		client.messages().subscribe((message) -> counter.onFrame(message.size()));
		client.start();
		return client;
	}

	private static WebsockexClient websockexJson(String url, FrameCounter counter) {
		WebsockexClient client = WebsockexClient.create("bench",
				Config.builder(url).platform(Platforms.deribit()).build());
		client.channel(TickerFrames.CHANNEL).subscribe((data) -> counter.onFrame(data.size()));
		client.start();
		return client;
	}

}
