package io.websockex.adapter.internal.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.websockex.adapter.WebsockexMessage;
import io.websockex.adapter.internal.heartbeat.HeartbeatMonitor;
import io.websockex.adapter.internal.jsonrpc.RequestCorrelator;
import io.websockex.adapter.platform.Platform;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Routes each inbound frame exactly once: heartbeat traffic to the heartbeat, responses
 * to their pending request, channel notifications to {@code channel(name)} and
 * {@code messages()}, everything else to {@code messages()}. A text frame is parsed at
 * most once, and only when something needs the JSON. Bad input is delivered raw and never
 * closes the connection.
 */
final class InboundRouter {

	private static final Logger logger = LoggerFactory.getLogger(InboundRouter.class);

	private static final int MAX_SEAM_CHANNELS = 10_000;

	private final String client;

	private final JsonMapper mapper;

	private final Platform platform;

	private final boolean platformRoutes;

	private final RequestCorrelator correlator;

	private final HeartbeatMonitor heartbeat;

	private final InboundBroadcast broadcast;

	private final ClientCounters counters;

	// Here rather than in each session's FrameHandler, where it would take 8 more bytes
	// per connection.
	private final int maxMessageSize;

	// Non-null only while a session is being replaced: the last sequence number
	// delivered per channel, so that what both sessions deliver at the seam is delivered
	// once. Written by the connection loop, read on the I/O thread.
	private volatile @Nullable Map<String, Long> seam;

	InboundRouter(String client, JsonMapper mapper, Platform platform, RequestCorrelator correlator,
			HeartbeatMonitor heartbeat, InboundBroadcast broadcast, ClientCounters counters, int maxMessageSize) {
		this.client = client;
		this.mapper = mapper;
		this.platform = platform;
		this.platformRoutes = platform.supportsSubscriptions();
		this.correlator = correlator;
		this.heartbeat = heartbeat;
		this.broadcast = broadcast;
		this.counters = counters;
		this.maxMessageSize = maxMessageSize;
	}

	/**
	 * The bound of a whole message, {@code max-frame-size}, for fragmented ones.
	 * @return the size in bytes
	 */
	int maxMessageSize() {
		return this.maxMessageSize;
	}

	void onText(Session session, ByteBuf content) {
		int size = content.readableBytes();
		this.counters.received(size);
		this.heartbeat.onFrame();
		boolean needsJson = needsJson();
		boolean toMessages = this.broadcast.hasMessageSubscribers();
		if (!needsJson && !toMessages) {
			// Counted, proof of life, and nobody to hand it to: no copy, no parse.
			return;
		}
		// One copy out of the pooled buffer; the String is made only if someone reads it.
		byte[] utf8 = ByteBufUtil.getBytes(content);
		JsonNode json = null;
		if (needsJson && startsLikeObject(utf8)) {
			json = parse(utf8);
			if (json != null && json.isObject() && routeJson(session, json)) {
				return;
			}
		}
		if (toMessages) {
			this.broadcast.emit(WebsockexMessage.Text.ofUtf8(utf8, json));
		}
	}

	void onBinary(Session session, ByteBuf content) {
		this.counters.received(content.readableBytes());
		this.heartbeat.onFrame();
		if (this.broadcast.hasMessageSubscribers()) {
			this.broadcast.emit(new WebsockexMessage.Binary(ByteBufUtil.getBytes(content)));
		}
	}

	void onPong(Session session) {
		this.heartbeat.onFrame();
		this.heartbeat.onPong();
	}

	void onControlFrame(Session session) {
		this.heartbeat.onFrame();
	}

	/**
	 * @return {@code true} if the message was consumed internally
	 */
	private boolean routeJson(Session session, JsonNode json) {
		if (this.heartbeat.consume(json, session.link)) {
			return true;
		}
		if (this.correlator.complete(json)) {
			return true;
		}
		if (this.platformRoutes) {
			Platform.Notification notification = this.platform.notification(json);
			if (notification != null) {
				Map<String, Long> seam = this.seam;
				if (seam != null && isDuplicate(seam, notification)) {
					return true;
				}
				this.broadcast.emitChannel(notification.channel(), notification.data());
			}
		}
		return false;
	}

	/**
	 * A session is being replaced: from now until {@link #endSeam()} both may deliver the
	 * same notifications.
	 */
	void beginSeam() {
		this.seam = new ConcurrentHashMap<>();
	}

	/** The replaced session is gone: one source again. */
	void endSeam() {
		this.seam = null;
	}

	private boolean isDuplicate(Map<String, Long> seam, Platform.Notification notification) {
		long sequence = this.platform.sequence(notification);
		if (sequence == Platform.NO_SEQUENCE) {
			return false;
		}
		Long last = seam.get(notification.channel());
		if (last != null && sequence <= last) {
			logger.debug("websockex client '{}': dropped a duplicate at a session seam on {} ({} <= {})", this.client,
					notification.channel(), sequence, last);
			return true;
		}
		// Bounded: a server that sends thousands of channels in a seam gets no dedup for
		// the rest rather than a growing map.
		if (last != null || seam.size() < MAX_SEAM_CHANNELS) {
			seam.put(notification.channel(), sequence);
		}
		return false;
	}

	// Parsing is most of the per-frame cost: skip it when nothing here would use the
	// tree.
	// messages() subscribers still get it on demand from Text.json(), parsed once.
	private boolean needsJson() {
		return this.correlator.hasPending() || this.heartbeat.needsJson()
				|| (this.platformRoutes && (this.broadcast.hasChannelSubscribers() || this.seam != null));
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
			return this.mapper.readTree(utf8);
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
