package io.websockex.adapter.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.websockex.adapter.Config;
import io.websockex.adapter.WebsockexClient;
import io.websockex.adapter.platform.Platforms;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code inbound} and {@code inbound-json}: one connection to a {@code blast} server,
 * {@code frames} notifications, timed in steady state after the first {@code warmup}
 * frames and also from connect (cold). {@code inbound} only counts frames (websockex with
 * the {@code raw} platform, so nothing parses them); {@code inbound-json} parses each one
 * and routes it to the ticker channel's consumer.
 */
final class InboundBench {

	private InboundBench() {
	}

	static void run(Args args, String url, boolean raw, boolean json, Results results) throws Exception {
		long frames = args.number("frames", 2_000_000);
		long warmup = args.number("warmup", frames / 4);
		String target = url + (url.contains("?") ? "&" : "?") + "frames=" + frames;
		FrameCounter counter = new FrameCounter(frames, warmup);
		Disposable connection;
		counter.start();
		if (raw) {
			connection = json ? rawJson(target, counter) : rawCount(target, counter);
		}
		else {
			WebsockexClient client = json ? websockexJson(target, counter) : websockexCount(target, counter);
			connection = () -> client.close().subscribe();
		}
		counter.await(args.number("timeout-seconds", 300));
		connection.dispose();
		results.put("msgs_per_s", counter.steadyPerSecond());
		results.put("cold_msgs_per_s", counter.coldPerSecond());
		results.put("cpu_ns_per_msg", counter.cpuNanosPerFrame());
		Results.note("checksum " + counter.checksum());
	}

	private static Disposable rawCount(String url, FrameCounter counter) {
		return HttpClient.newConnection()
			.websocket()
			.uri(url)
			.handle((in, out) -> in.receive().asString().doOnNext((text) -> counter.onFrame(text.length())))
			.subscribe();
	}

	private static Disposable rawJson(String url, FrameCounter counter) {
		JsonMapper mapper = JsonMapper.builder().build();
		Map<String, Consumer<JsonNode>> channels = new ConcurrentHashMap<>();
		channels.put(TickerFrames.CHANNEL, (data) -> counter.onFrame(data.size()));
		return HttpClient.newConnection()
			.websocket()
			.uri(url)
			.handle((in, out) -> in.receive().asString().doOnNext((text) -> {
				JsonNode message = mapper.readTree(text);
				JsonNode params = message.get("params");
				JsonNode channel = (params != null) ? params.get("channel") : null;
				Consumer<JsonNode> consumer = (channel != null) ? channels.get(channel.asString()) : null;
				if (consumer != null) {
					consumer.accept(params.get("data"));
				}
			}))
			.subscribe();
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
