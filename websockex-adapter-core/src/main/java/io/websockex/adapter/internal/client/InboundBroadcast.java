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
 * <p>
 * It is itself the fanout of {@code messages()} ({@link #emit}), rather than holding one:
 * one object less for every client that has a subscriber.
 */
final class InboundBroadcast extends BufferedFanout<WebsockexMessage> {

	private static final VarHandle CHANNELS;

	static {
		try {
			CHANNELS = MethodHandles.lookup().findVarHandle(InboundBroadcast.class, "channels", Map.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final String client;

	private final ClientCounters counters;

	// Made on the first channel(...) subscription: most clients never have one.
	private volatile @Nullable Map<String, ChannelSink> channels;

	private volatile boolean completed;

	InboundBroadcast(String client, int bufferSize, ClientCounters counters) {
		super(bufferSize);
		this.client = client;
		this.counters = counters;
	}

	// Emitted only by the current session's I/O thread, and completed once the last
	// session is over: one emitter at a time.
	Flux<WebsockexMessage> messages() {
		return flux();
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
			if (this.completed) {
				// complete() ran between the check above and the entry: it may not have
				// seen the entry, and no session emits any more. Completing twice is
				// harmless.
				entry.complete();
			}
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
		return subscriberCount() > 0;
	}

	void emitChannel(String channel, JsonNode data) {
		Map<String, ChannelSink> channels = this.channels;
		ChannelSink entry = (channels != null) ? channels.get(channel) : null;
		if (entry != null) {
			entry.emit(data);
		}
	}

	@Override
	void complete() {
		this.completed = true;
		super.complete();
		Map<String, ChannelSink> channels = this.channels;
		if (channels != null) {
			channels.values().forEach(ChannelSink::complete);
		}
	}

	// A subscriber of messages() overflowed.
	@Override
	Throwable overflowed() {
		return overflowed("messages()");
	}

	private BufferOverflowException overflowed(String stream) {
		this.counters.increment(ClientCounters.INBOUND_OVERFLOWS);
		return new BufferOverflowException("websockex client '" + this.client + "': a subscriber of " + stream
				+ " fell " + capacity() + " messages behind and was terminated; "
				+ "consume faster (publishOn a scheduler, do less per message) or raise inbound-buffer");
	}

	/**
	 * A channel's subscribers and how many subscriptions hold its entry; the count only
	 * changes inside the map's atomic {@code compute}, so no lock is needed.
	 */
	final class ChannelSink extends BufferedFanout<JsonNode> {

		private final String channel;

		private int holders;

		ChannelSink(String channel) {
			super(InboundBroadcast.this.capacity());
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
