package io.websockex.adapter.internal.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.websockex.adapter.BufferOverflowException;
import io.websockex.adapter.WebsockexMessage;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;

/**
 * The hot inbound streams of one client, {@code messages()} and one per channel, which
 * live as long as the client and so survive reconnects. Each subscriber gets its own
 * bounded buffer: one that falls behind is terminated with
 * {@link BufferOverflowException} without slowing the connection or the others. Emission
 * happens on the connection's I/O thread, one frame at a time.
 */
final class InboundBroadcast {

	private static final VarHandle MESSAGES;

	private static final VarHandle CHANNELS;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			MESSAGES = lookup.findVarHandle(InboundBroadcast.class, "messages", Sinks.Many.class);
			CHANNELS = lookup.findVarHandle(InboundBroadcast.class, "channels", Map.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final String client;

	private final int bufferSize;

	private final ClientCounters counters;

	// Emitted only by the current session's I/O thread, and completed once the last
	// session is over: one emitter at a time, so the unserialized sinks are safe (and
	// smaller). Made by the first messages() call: many clients only use channels or
	// requests.
	private volatile Sinks.@Nullable Many<WebsockexMessage> messages;

	// Made on the first channel(...) subscription: most clients never have one.
	private volatile @Nullable Map<String, ChannelSink> channels;

	private volatile boolean completed;

	InboundBroadcast(String client, int bufferSize, ClientCounters counters) {
		this.client = client;
		this.bufferSize = bufferSize;
		this.counters = counters;
	}

	Flux<WebsockexMessage> messages() {
		return bounded(messagesSink().asFlux(), "messages()");
	}

	private Sinks.Many<WebsockexMessage> messagesSink() {
		Sinks.Many<WebsockexMessage> sink = this.messages;
		if (sink != null) {
			return sink;
		}
		Sinks.Many<WebsockexMessage> created = Sinks.unsafe().many().multicast().directBestEffort();
		@SuppressWarnings("unchecked")
		Sinks.Many<WebsockexMessage> witness = (Sinks.Many<WebsockexMessage>) MESSAGES.compareAndExchange(this, null,
				created);
		if (witness != null) {
			return witness;
		}
		if (this.completed) {
			// complete() may have run before the sink was set: no session emits any more,
			// and completing twice is harmless (the second finds it terminated).
			created.tryEmitComplete();
		}
		return created;
	}

	Flux<JsonNode> channel(String channel) {
		return Flux.defer(() -> {
			if (this.completed) {
				return Flux.empty();
			}
			// A channel's sink lives while it has subscribers: channels come and go (per
			// instrument, per order) and an entry here also turns on parsing every frame.
			Map<String, ChannelSink> channels = channels();
			ChannelSink entry = channels.compute(channel,
					(name, existing) -> ((existing != null) ? existing : new ChannelSink()).retain());
			return bounded(entry.sink.asFlux(), "channel(\"" + channel + "\")").doFinally((signal) -> channels
				.computeIfPresent(channel, (name, existing) -> (existing == entry) ? entry.release() : existing));
		});
	}

	private Map<String, ChannelSink> channels() {
		Map<String, ChannelSink> channels = this.channels;
		if (channels != null) {
			return channels;
		}
		// Subscribers may come from any thread: the first map set wins, so entries are
		// never split between two maps.
		Map<String, ChannelSink> created = new ConcurrentHashMap<>();
		@SuppressWarnings("unchecked")
		Map<String, ChannelSink> witness = (Map<String, ChannelSink>) CHANNELS.compareAndExchange(this, null, created);
		return (witness != null) ? witness : created;
	}

	boolean hasChannelSubscribers() {
		Map<String, ChannelSink> channels = this.channels;
		return channels != null && !channels.isEmpty();
	}

	/**
	 * The sink of a channel that has subscribers, looked up once per frame by the
	 * notification scanner, which then emits on it with {@link ChannelSink#emit}.
	 * @param channel the channel
	 * @return its sink, or {@code null} when nobody subscribes to it
	 */
	@Nullable ChannelSink channelSink(String channel) {
		Map<String, ChannelSink> channels = this.channels;
		return (channels != null) ? channels.get(channel) : null;
	}

	boolean hasMessageSubscribers() {
		Sinks.Many<WebsockexMessage> messages = this.messages;
		return messages != null && messages.currentSubscriberCount() > 0;
	}

	void emit(WebsockexMessage message) {
		Sinks.Many<WebsockexMessage> messages = this.messages;
		if (messages != null) {
			messages.tryEmitNext(message);
		}
	}

	void emitChannel(String channel, JsonNode data) {
		Map<String, ChannelSink> channels = this.channels;
		ChannelSink entry = (channels != null) ? channels.get(channel) : null;
		if (entry != null) {
			entry.sink.tryEmitNext(data);
		}
	}

	void complete() {
		this.completed = true;
		Sinks.Many<WebsockexMessage> messages = this.messages;
		if (messages != null) {
			messages.tryEmitComplete();
		}
		Map<String, ChannelSink> channels = this.channels;
		if (channels != null) {
			channels.values().forEach((entry) -> entry.sink.tryEmitComplete());
		}
	}

	private <T> Flux<T> bounded(Flux<T> source, String stream) {
		return new BoundedBuffer<>(source, this.bufferSize,
				() -> this.counters.increment(ClientCounters.INBOUND_OVERFLOWS),
				() -> new BufferOverflowException("websockex client '" + this.client + "': a subscriber of " + stream
						+ " fell " + this.bufferSize + " messages behind and was terminated; "
						+ "consume faster (publishOn a scheduler, do less per message) or raise inbound-buffer"));
	}

	/**
	 * A channel's sink and how many subscribers hold it; only changed inside the map's
	 * atomic {@code compute}, so no lock is needed.
	 */
	static final class ChannelSink {

		final Sinks.Many<JsonNode> sink = Sinks.unsafe().many().multicast().directBestEffort();

		void emit(JsonNode data) {
			this.sink.tryEmitNext(data);
		}

		private int subscribers;

		ChannelSink retain() {
			this.subscribers++;
			return this;
		}

		@Nullable ChannelSink release() {
			return (--this.subscribers == 0) ? null : this;
		}

	}

}
