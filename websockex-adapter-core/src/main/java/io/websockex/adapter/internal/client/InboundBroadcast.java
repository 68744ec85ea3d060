package io.websockex.adapter.internal.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.websockex.adapter.BufferOverflowException;
import io.websockex.adapter.WebsockexMessage;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/**
 * The hot inbound streams of one client, {@code messages()} and one per channel, which
 * live as long as the client and so survive reconnects. Each subscriber gets its own
 * bounded buffer ({@link BufferedFanout}): one that falls behind is terminated with
 * {@link BufferOverflowException} without slowing the connection or the others. Emission
 * happens on the connection's I/O thread, one frame at a time.
 */
final class InboundBroadcast {

	private static final VarHandle MESSAGES;

	private static final VarHandle CHANNELS;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			MESSAGES = lookup.findVarHandle(InboundBroadcast.class, "messages", MessagesFanout.class);
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
	// session is over: one emitter at a time. Made by the first messages() call: many
	// clients only use channels or requests.
	private volatile @Nullable MessagesFanout messages;

	// Made on the first channel(...) subscription: most clients never have one.
	private volatile @Nullable Map<String, ChannelSink> channels;

	private volatile boolean completed;

	InboundBroadcast(String client, int bufferSize, ClientCounters counters) {
		this.client = client;
		this.bufferSize = bufferSize;
		this.counters = counters;
	}

	Flux<WebsockexMessage> messages() {
		return messagesFanout().flux();
	}

	private MessagesFanout messagesFanout() {
		MessagesFanout fanout = this.messages;
		if (fanout != null) {
			return fanout;
		}
		MessagesFanout created = new MessagesFanout();
		MessagesFanout witness = (MessagesFanout) MESSAGES.compareAndExchange(this, null, created);
		if (witness != null) {
			return witness;
		}
		if (this.completed) {
			// complete() may have run before the fanout was set: no session emits any
			// more, and completing twice is harmless (the second finds none to complete).
			created.complete();
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
					(name, existing) -> ((existing != null) ? existing : new ChannelSink(channel)).retain());
			return entry.flux()
				.doFinally((signal) -> channels.computeIfPresent(channel,
						(name, existing) -> (existing == entry) ? entry.release() : existing));
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

	boolean hasChannelSubscriber(String channel) {
		Map<String, ChannelSink> channels = this.channels;
		return channels != null && channels.containsKey(channel);
	}

	boolean hasMessageSubscribers() {
		MessagesFanout messages = this.messages;
		return messages != null && messages.subscriberCount() > 0;
	}

	void emit(WebsockexMessage message) {
		MessagesFanout messages = this.messages;
		if (messages != null) {
			messages.emit(message);
		}
	}

	void emitChannel(String channel, JsonNode data) {
		Map<String, ChannelSink> channels = this.channels;
		ChannelSink entry = (channels != null) ? channels.get(channel) : null;
		if (entry != null) {
			entry.emit(data);
		}
	}

	void complete() {
		this.completed = true;
		MessagesFanout messages = this.messages;
		if (messages != null) {
			messages.complete();
		}
		Map<String, ChannelSink> channels = this.channels;
		if (channels != null) {
			channels.values().forEach(ChannelSink::complete);
		}
	}

	private BufferOverflowException overflowed(String stream) {
		this.counters.increment(ClientCounters.INBOUND_OVERFLOWS);
		return new BufferOverflowException("websockex client '" + this.client + "': a subscriber of " + stream
				+ " fell " + this.bufferSize + " messages behind and was terminated; "
				+ "consume faster (publishOn a scheduler, do less per message) or raise inbound-buffer");
	}

	/** The subscribers of {@code messages()}. */
	private final class MessagesFanout extends BufferedFanout<WebsockexMessage> {

		MessagesFanout() {
			super(InboundBroadcast.this.bufferSize);
		}

		@Override
		Throwable overflowed() {
			return InboundBroadcast.this.overflowed("messages()");
		}

	}

	/**
	 * A channel's subscribers and how many subscriptions hold its entry; the count only
	 * changes inside the map's atomic {@code compute}, so no lock is needed.
	 */
	private final class ChannelSink extends BufferedFanout<JsonNode> {

		private final String channel;

		private int holders;

		ChannelSink(String channel) {
			super(InboundBroadcast.this.bufferSize);
			this.channel = channel;
		}

		ChannelSink retain() {
			this.holders++;
			return this;
		}

		@Nullable ChannelSink release() {
			return (--this.holders == 0) ? null : this;
		}

		@Override
		Throwable overflowed() {
			return InboundBroadcast.this.overflowed("channel(\"" + this.channel + "\")");
		}

	}

}
