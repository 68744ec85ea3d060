package io.websockex.adapter.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.websockex.adapter.BufferOverflowException;
import io.websockex.adapter.WebsockexMessage;
import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;
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

	private final String client;

	private final int bufferSize;

	private final ClientCounters counters;

	// Emitted only by the current session's I/O thread, and completed once the last
	// session
	// is over: one emitter at a time, so the unserialized sinks are safe (and smaller).
	private final Sinks.Many<WebsockexMessage> messages = Sinks.unsafe().many().multicast().directBestEffort();

	private final Map<String, ChannelSink> channels = new ConcurrentHashMap<>();

	private volatile boolean completed;

	InboundBroadcast(String client, int bufferSize, ClientCounters counters) {
		this.client = client;
		this.bufferSize = bufferSize;
		this.counters = counters;
	}

	Flux<WebsockexMessage> messages() {
		return bounded(this.messages.asFlux(), "messages()");
	}

	Flux<JsonNode> channel(String channel) {
		return Flux.defer(() -> {
			if (this.completed) {
				return Flux.empty();
			}
			// A channel's sink lives while it has subscribers: channels come and go (per
			// instrument, per order) and an entry here also turns on parsing every frame.
			ChannelSink entry = this.channels.compute(channel,
					(name, existing) -> ((existing != null) ? existing : new ChannelSink()).retain());
			return bounded(entry.sink.asFlux(), "channel(\"" + channel + "\")").doFinally((signal) -> this.channels
				.computeIfPresent(channel, (name, existing) -> (existing == entry) ? entry.release() : existing));
		});
	}

	boolean hasChannelSubscribers() {
		return !this.channels.isEmpty();
	}

	boolean hasMessageSubscribers() {
		return this.messages.currentSubscriberCount() > 0;
	}

	void emit(WebsockexMessage message) {
		this.messages.tryEmitNext(message);
	}

	void emitChannel(String channel, JsonNode data) {
		ChannelSink entry = this.channels.get(channel);
		if (entry != null) {
			entry.sink.tryEmitNext(data);
		}
	}

	void complete() {
		this.completed = true;
		this.messages.tryEmitComplete();
		this.channels.values().forEach((entry) -> entry.sink.tryEmitComplete());
	}

	private <T> Flux<T> bounded(Flux<T> source, String stream) {
		// The array-queue variant: the one taking a BufferOverflowStrategy links a node
		// per
		// message. Both end the subscriber with an overflow error once what it buffered
		// is
		// delivered.
		return source
			.onBackpressureBuffer(this.bufferSize,
					(dropped) -> this.counters.increment(ClientCounters.INBOUND_OVERFLOWS))
			.onErrorMap(Exceptions::isOverflow,
					(ex) -> new BufferOverflowException("websockex client '" + this.client + "': a subscriber of "
							+ stream + " fell " + this.bufferSize + " messages behind and was terminated; "
							+ "consume faster (publishOn a scheduler, do less per message) or raise inbound-buffer"));
	}

	/**
	 * A channel's sink and how many subscribers hold it; only changed inside the map's
	 * atomic {@code compute}, so no lock is needed.
	 */
	private static final class ChannelSink {

		final Sinks.Many<JsonNode> sink = Sinks.unsafe().many().multicast().directBestEffort();

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
