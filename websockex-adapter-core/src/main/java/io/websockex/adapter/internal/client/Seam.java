package io.websockex.adapter.internal.client;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.platform.Platform;
import org.jspecify.annotations.Nullable;

/**
 * The moment of a rotation when two sessions deliver the same channels: for notifications
 * that carry a sequence number, each is delivered once and in order. Per channel the old
 * session stays the source until the new one is seen to overlap it (the new one delivers
 * a number the old one already did, or the old one reaches the first number the new one
 * held back); from then on the new one is the source and the old one's copies are
 * dropped. What the new session delivers before the overlap is held back, in order and
 * bounded, and delivered once it follows on. Notifications without a number cannot be
 * matched and are delivered from both.
 * <p>
 * Confined to the I/O thread both sessions share (the transport opens the new session on
 * the old one's event loop), so nothing here needs a lock.
 */
final class Seam {

	private static final long NONE = Long.MIN_VALUE;

	// Channels followed, and notifications held back over all of them: a server that
	// sends thousands of channels or floods the new session gets no ordering beyond
	// these, rather than a growing heap.
	private static final int MAX_CHANNELS = 10_000;

	private static final int MAX_HELD = 16_384;

	private final Session newer;

	private final Platform platform;

	private final Delivery delivery;

	private final Map<String, ChannelSeam> channels = new HashMap<>();

	private int held;

	// Channels whose new session has not yet overlapped the old one; read by the
	// connection loop, which closes the old session only once it is 0 (or after a bound).
	private volatile int unsettled;

	/**
	 * Make a seam.
	 * @param newer the new session
	 * @param platform reads the sequence numbers
	 * @param delivery delivers to the client's streams
	 * @param expected the channels both sessions subscribe: each must overlap, or show
	 * that it carries no sequence number, before the old session may close (a frame sent
	 * to the old session just before its close could otherwise be lost)
	 */
	Seam(Session newer, Platform platform, Delivery delivery, Iterable<String> expected) {
		this.newer = newer;
		this.platform = platform;
		this.delivery = delivery;
		for (String channel : expected) {
			if (this.channels.size() < MAX_CHANNELS && this.channels.putIfAbsent(channel, new ChannelSeam()) == null) {
				this.unsettled++;
			}
		}
	}

	/**
	 * Take a notification that arrived during the seam.
	 * @param from the session it arrived on
	 * @param notification the notification
	 * @param message the frame for {@code messages()}, or {@code null} when nobody reads
	 * it
	 * @return {@code true} if the seam took it (delivered, held or dropped),
	 * {@code false} if it is to be delivered as usual
	 */
	boolean take(Session from, Platform.Notification notification, @Nullable WebsockexMessage message) {
		long sequence = this.platform.sequence(notification);
		if (sequence == Platform.NO_SEQUENCE) {
			ChannelSeam expected = this.channels.get(notification.channel());
			if (expected != null && !expected.switched && expected.last == NONE && expected.queue.isEmpty()) {
				// A channel without numbers: nothing to wait for.
				this.channels.remove(notification.channel());
				this.unsettled--;
			}
			return false;
		}
		ChannelSeam channel = this.channels.get(notification.channel());
		if (channel == null) {
			if (this.channels.size() >= MAX_CHANNELS) {
				return false;
			}
			channel = new ChannelSeam();
			this.channels.put(notification.channel(), channel);
			this.unsettled++;
		}
		boolean fromNewer = from == this.newer;
		if (channel.switched) {
			if (!fromNewer || sequence <= channel.last) {
				return true;
			}
			channel.last = sequence;
			return false;
		}
		if (!fromNewer) {
			if (channel.last != NONE && sequence <= channel.last) {
				return true;
			}
			channel.last = sequence;
			this.delivery.deliver(notification, message);
			Held first = channel.queue.peekFirst();
			if (first != null && first.sequence <= sequence) {
				// The old session reached what the new one holds: the new one follows on.
				switchOver(channel);
			}
			return true;
		}
		if (channel.last != NONE && sequence <= channel.last) {
			// The new session delivers what the old one did: it follows on from here.
			switchOver(channel);
			return true;
		}
		channel.queue.addLast(new Held(sequence, notification, message));
		if (++this.held > MAX_HELD) {
			switchOver(channel);
		}
		return true;
	}

	/**
	 * The old session is gone: what the new one held back follows on from the last
	 * delivered.
	 */
	void flush() {
		this.channels.values().forEach(this::switchOver);
	}

	/**
	 * Whether every sequenced channel of the new session has overlapped the old one:
	 * closing the old session earlier could lose what the server had sent it but not yet
	 * the new one.
	 * @return {@code true} when the old session may close
	 */
	boolean settled() {
		return this.unsettled == 0;
	}

	private void switchOver(ChannelSeam channel) {
		if (!channel.switched) {
			this.unsettled--;
		}
		channel.switched = true;
		Held next;
		while ((next = channel.queue.pollFirst()) != null) {
			this.held--;
			if (channel.last == NONE || next.sequence > channel.last) {
				channel.last = next.sequence;
				this.delivery.deliver(next.notification, next.message);
			}
		}
	}

	/** Delivers a notification to {@code channel()} and {@code messages()}. */
	@FunctionalInterface
	interface Delivery {

		void deliver(Platform.Notification notification, @Nullable WebsockexMessage message);

	}

	private static final class ChannelSeam {

		long last = NONE;

		boolean switched;

		final ArrayDeque<Held> queue = new ArrayDeque<>(4);

	}

	private record Held(long sequence, Platform.Notification notification, @Nullable WebsockexMessage message) {
	}

}
