package io.websockex.adapter.internal.client;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.internal.heartbeat.HeartbeatMonitor;
import io.websockex.adapter.internal.jsonrpc.JsonRpcCodec;
import io.websockex.adapter.internal.jsonrpc.NotificationShape;
import io.websockex.adapter.internal.jsonrpc.RequestCorrelator;
import io.websockex.adapter.platform.Platform;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Routes each inbound frame exactly once: heartbeat traffic to the heartbeat, responses
 * to their pending request, channel notifications to {@code channel(name)} and
 * {@code messages()}, everything else to {@code messages()}. A text frame is parsed at
 * most once, and only when something needs the JSON. Bad input is delivered raw and never
 * closes the connection.
 */
final class InboundRouter {

	private static final Logger logger = LoggerFactory.getLogger(InboundRouter.class);

	private final String client;

	private final JsonRpcCodec codec;

	private final Platform platform;

	private final boolean platformRoutes;

	// Only for a built-in dialect, whose notification shape is known: a user's Platform
	// gets the whole tree. Not when notifications are called "heartbeat", which the
	// Deribit heartbeat must see first.
	private final @Nullable NotificationScanner notifications;

	private final RequestCorrelator correlator;

	private final HeartbeatMonitor heartbeat;

	private final InboundBroadcast broadcast;

	private final ClientCounters counters;

	// Here rather than in each session's FrameHandler, where it would take 8 more bytes
	// per connection.
	private final int maxMessageSize;

	// Non-null only while a session is being replaced (both then deliver). Set and
	// cleared on the I/O thread the two sessions share, read only there.
	private volatile @Nullable Seam seam;

	private final int pingRepliesPerSecond;

	InboundRouter(String client, JsonRpcCodec codec, Platform platform, RequestCorrelator correlator,
			HeartbeatMonitor heartbeat, InboundBroadcast broadcast, ClientCounters counters, int maxMessageSize,
			int pingRepliesPerSecond) {
		this.client = client;
		this.codec = codec;
		this.platform = platform;
		this.platformRoutes = platform.supportsSubscriptions();
		this.notifications = (this.platformRoutes && platform instanceof NotificationShape shape
				&& !"heartbeat".equals(shape.notificationMethod()))
						? NotificationScanner.of(codec, shape.notificationMethod()) : null;
		this.correlator = correlator;
		this.heartbeat = heartbeat;
		this.broadcast = broadcast;
		this.counters = counters;
		this.maxMessageSize = maxMessageSize;
		this.pingRepliesPerSecond = pingRepliesPerSecond;
	}

	/**
	 * How many server pings a session answers per second.
	 * @return the count
	 */
	int pingRepliesPerSecond() {
		return this.pingRepliesPerSecond;
	}

	/**
	 * The bound of a whole message, {@code max-frame-size}, for fragmented ones.
	 * @return the size in bytes
	 */
	int maxMessageSize() {
		return this.maxMessageSize;
	}

	void onText(Session session, ByteBuf buffer, int index, int length) {
		session.recordInbound(buffer, index, length, true);
		this.counters.received(length);
		boolean needsJson = needsJson();
		boolean toMessages = this.broadcast.hasMessageSubscribers();
		if (!needsJson && !toMessages) {
			// Counted, proof of life, and nobody to hand it to: no copy, no parse.
			return;
		}
		// One copy out of the pooled buffer; the String is made only if someone reads it.
		byte[] utf8 = bytes(buffer, index, length);
		JsonNode json = null;
		if (needsJson && startsLikeObject(utf8)) {
			// Not during a rotation's seam: there, notifications go through the tree
			// path, where the seam delivers each sequenced one once and in order.
			Object scanned = (this.notifications != null && this.seam == null)
					? this.notifications.route(utf8, this.broadcast) : null;
			if (scanned == NotificationScanner.ROUTED) {
				// A notification: its data went to the channel; messages() gets the frame
				// and parses it only if json() is called.
				if (toMessages) {
					this.broadcast.emit(WebsockexMessage.Text.ofUtf8(utf8, null));
				}
				return;
			}
			json = (scanned != null) ? (JsonNode) scanned : parse(utf8);
			if (json != null && json.isObject() && routeJson(session, json, utf8, toMessages)) {
				return;
			}
		}
		if (toMessages) {
			this.broadcast.emit(WebsockexMessage.Text.ofUtf8(utf8, json));
		}
	}

	void onBinary(Session session, ByteBuf buffer, int index, int length) {
		session.recordInbound(buffer, index, length, false);
		this.counters.received(length);
		if (this.broadcast.hasMessageSubscribers()) {
			this.broadcast.emit(new WebsockexMessage.Binary(bytes(buffer, index, length)));
		}
	}

	/**
	 * A socket read that held data frames is over: one proof of life for all of them
	 * (their arrival times differ by the microseconds it took to route them), instead of
	 * a clock read per frame.
	 */
	void onFramesRead() {
		this.heartbeat.onFrame();
	}

	void onPong(Session session) {
		this.heartbeat.onFrame();
		this.heartbeat.onPong();
	}

	void onControlFrame(Session session) {
		this.heartbeat.onFrame();
	}

	/**
	 * The session is closing over bad input: count it by kind.
	 * @param status the close code it gets
	 */
	void onViolation(WebSocketCloseStatus status) {
		this.counters.increment((status.code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code())
				? ClientCounters.INBOUND_TOO_LARGE : ClientCounters.PROTOCOL_ERRORS);
	}

	/**
	 * @return {@code true} if the message was consumed internally
	 */
	private boolean routeJson(Session session, JsonNode json, byte[] utf8, boolean toMessages) {
		if (this.heartbeat.consume(json, session)) {
			return true;
		}
		if (this.correlator.complete(json)) {
			return true;
		}
		if (this.platformRoutes) {
			Platform.Notification notification = this.platform.notification(json);
			if (notification != null) {
				Seam seam = this.seam;
				if (seam != null && seam.take(session, notification,
						toMessages ? WebsockexMessage.Text.ofUtf8(utf8, json) : null)) {
					return true;
				}
				this.broadcast.emitChannel(notification.channel(), notification.data());
			}
		}
		return false;
	}

	/**
	 * A session is being replaced by {@code newer}: until {@link #endSeam}, both deliver,
	 * and notifications with a sequence number are delivered once, in order.
	 * @param newer the new session; the seam runs on its I/O thread
	 * @param channels the channels both sessions subscribe
	 */
	void beginSeam(Session newer, Iterable<String> channels) {
		Seam seam = new Seam(newer, this.platform, this::deliver, channels);
		newer.connection.channel().eventLoop().execute(() -> this.seam = seam);
	}

	/**
	 * The seam is over.
	 * @param newer the session the seam was for
	 * @param flush {@code true} when the old session is gone (what the new one held back
	 * is delivered), {@code false} when the new one is given up (it is dropped)
	 */
	void endSeam(Session newer, boolean flush) {
		newer.connection.channel().eventLoop().execute(() -> {
			Seam seam = this.seam;
			this.seam = null;
			if (seam != null && flush) {
				seam.flush();
			}
		});
	}

	/**
	 * Whether the seam under way, if any, lets the old session close.
	 * @return {@code true} when no seam runs or every sequenced channel overlapped
	 */
	boolean seamSettled() {
		Seam seam = this.seam;
		return seam == null || seam.settled();
	}

	private void deliver(Platform.Notification notification, @Nullable WebsockexMessage message) {
		this.broadcast.emitChannel(notification.channel(), notification.data());
		if (message != null) {
			this.broadcast.emit(message);
		}
	}

	// Parsing is most of the per-frame cost: skip it when nothing here would use the
	// tree. messages() subscribers still get it on demand from Text.json(), parsed once.
	private boolean needsJson() {
		return this.correlator.hasPending() || this.heartbeat.needsJson()
				|| (this.platformRoutes && (this.broadcast.hasChannelSubscribers() || this.seam != null));
	}

	// The one copy of a frame's payload, straight from the read buffer. Through the
	// memory address when the buffer has one: ByteBufUtil.getBytes on a view checks the
	// reference count at each of its three layers (view, pooled segment, chunk), which
	// cost more than copying 200 bytes.
	private static byte[] bytes(ByteBuf buffer, int index, int length) {
		byte[] bytes = new byte[length];
		if (buffer.hasMemoryAddress()) {
			PlatformDependent.copyMemory(buffer.memoryAddress() + index, bytes, 0, length);
		}
		else {
			buffer.getBytes(index, bytes);
		}
		return bytes;
	}

	private static boolean startsLikeObject(byte[] utf8) {
		for (byte b : utf8) {
			if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
				return b == '{';
			}
		}
		return false;
	}

	private @Nullable JsonNode parse(byte[] utf8) {
		try {
			return this.codec.readTree(utf8);
		}
		catch (JacksonException ex) {
			if (logger.isDebugEnabled()) {
				logger.debug("websockex client '{}': inbound frame is not valid JSON ({}); delivered raw to messages()",
						this.client, ex.getOriginalMessage());
			}
			return null;
		}
	}

}
