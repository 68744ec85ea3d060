package io.websockex.adapter.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an application without websockex writes by hand for {@code inbound-json}: each
 * text frame parsed with Jackson into a tree, and its {@code params.data} handed to the
 * consumer that {@code params.channel} names in a {@link ConcurrentHashMap}.
 */
final class TickerRouter implements Consumer<String> {

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final Map<String, Consumer<JsonNode>> channels = new ConcurrentHashMap<>();

	TickerRouter(FrameCounter counter) {
		this.channels.put(TickerFrames.CHANNEL, (data) -> counter.onFrame(data.size()));
	}

	@Override
	public void accept(String text) {
		JsonNode message = this.mapper.readTree(text);
		JsonNode params = message.get("params");
		JsonNode channel = (params != null) ? params.get("channel") : null;
		Consumer<JsonNode> consumer = (channel != null) ? this.channels.get(channel.asString()) : null;
		if (consumer != null) {
			consumer.accept(params.get("data"));
		}
	}

}
