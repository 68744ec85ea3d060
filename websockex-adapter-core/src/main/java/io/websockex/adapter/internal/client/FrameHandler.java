package io.websockex.adapter.internal.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;

/**
 * Takes data and control frames off the pipeline before Reactor Netty's reactive bridge:
 * the per-frame path is the hot path, and handling frames here skips a queue and a demand
 * hand-off per frame. Whole uncompressed messages come from {@link FrameDecoder} without
 * going through the pipeline at all ({@link #onData}). Close frames pass on, once their
 * status is noted, to what answers them: {@link CloseHandshake} behind a
 * {@link TcpTransport} session, Reactor Netty's WebSocket operations behind a
 * {@link Transport} one.
 * <p>
 * Fragmented messages are put together by Netty's {@link WebSocketFrameAggregator}, bound
 * to {@code max-frame-size} for the whole message, which this handler puts in front of
 * itself at the first fragment: until then it would only pass frames on, and most
 * connections never see a fragment, so they do without its pipeline entry.
 */
final class FrameHandler extends ChannelInboundHandlerAdapter {

	static final String NAME = "websockex.frames";

	private static final long PING_WINDOW = 1_000_000_000L;

	private final InboundRouter router;

	private final Session session;

	// On the event loop only: the one-second window of answered pings.
	private long pingWindowStart;

	private int pingReplies;

	FrameHandler(InboundRouter router, Session session) {
		this.router = router;
		this.session = session;
		this.pingWindowStart = System.nanoTime() - PING_WINDOW;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		this.session.inRead = true;
		if (msg instanceof WebSocketFrame frame && frame.rsv() != 0) {
			// Netty lets reserved bits through whenever compression is offered, and
			// MessageInflater clears them on what it inflates: any left over were never
			// negotiated (RFC 6455 5.2).
			frame.release();
			exceptionCaught(ctx, new InboundViolationException(WebSocketCloseStatus.PROTOCOL_ERROR,
					"reserved bits " + frame.rsv() + " set on a frame with no extension negotiated for them"));
			return;
		}
		if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
			WebSocketFrame data = (WebSocketFrame) msg;
			if (!data.isFinalFragment()) {
				startAggregating(ctx, data);
				return;
			}
			try {
				ByteBuf content = data.content();
				onData(data instanceof TextWebSocketFrame, content, content.readerIndex(), content.readableBytes());
			}
			finally {
				data.release();
			}
		}
		else if (msg instanceof PingWebSocketFrame ping) {
			if (mayAnswerPing(ctx)) {
				// The pong takes over the ping's buffer, so no release here.
				ctx.writeAndFlush(new PongWebSocketFrame(ping.content()));
			}
			else {
				ping.release();
			}
			this.router.onControlFrame(this.session);
		}
		else if (msg instanceof PongWebSocketFrame pong) {
			pong.release();
			this.router.onPong(this.session);
		}
		else {
			if (msg instanceof CloseWebSocketFrame close) {
				// Only the server's close frame: our own (close(), reconnect()) is not a
				// reason.
				WebSocketCloseStatus status;
				try {
					status = CloseFrames.status(close.content());
				}
				catch (InboundViolationException ex) {
					close.release();
					exceptionCaught(ctx, ex);
					return;
				}
				this.session.end(new EndCause.ServerClosed(status.code(), status.reasonText()));
			}
			ctx.fireChannelRead(msg);
		}
	}

	/**
	 * A whole data message: from {@link FrameDecoder} directly for most, through the
	 * pipeline for inflated and reassembled ones.
	 * @param text whether it is text
	 * @param buffer the buffer that holds its payload, read before this returns and not
	 * retained
	 * @param index where the payload starts in {@code buffer}
	 * @param length the payload's length
	 */
	void onData(boolean text, ByteBuf buffer, int index, int length) {
		this.session.inRead = true;
		if (text) {
			this.router.onText(this.session, buffer, index, length);
		}
		else {
			this.router.onBinary(this.session, buffer, index, length);
		}
	}

	// A ping flood must cost neither unbounded writes nor the reads behind it: beyond
	// ping-replies-per-second, or while the server does not read what was written (the
	// pongs would pile up in memory), pings are read and dropped. RFC 6455 5.5.3 lets a
	// client answer only the latest of several pings.
	private boolean mayAnswerPing(ChannelHandlerContext ctx) {
		if (!ctx.channel().isWritable()) {
			return false;
		}
		long now = System.nanoTime();
		if (now - this.pingWindowStart >= PING_WINDOW) {
			this.pingWindowStart = now;
			this.pingReplies = 0;
		}
		return ++this.pingReplies <= this.router.pingRepliesPerSecond();
	}

	// Only the first fragment of a connection gets here: from then on the aggregator
	// takes fragments before they reach this handler.
	private void startAggregating(ChannelHandlerContext ctx, WebSocketFrame first) throws Exception {
		WebSocketFrameAggregator aggregator = new WebSocketFrameAggregator(this.router.maxMessageSize());
		ctx.pipeline().addBefore(ctx.name(), NettyPipeline.WsFrameAggregator, aggregator);
		// The frame is already past the aggregator's place: hand it over directly, on
		// this event loop, as the pipeline would have. What it aggregates, and its
		// errors, come back here through the pipeline.
		aggregator.channelRead(ctx.pipeline().context(aggregator), first);
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		if (this.session.inRead) {
			this.router.onFramesRead();
		}
		this.session.readComplete();
		ctx.fireChannelReadComplete();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		// Oversize, corrupt or forbidden input: remember why (the first end cause wins),
		// count it, close with the code RFC 6455 asks for (Netty's frame decoder has sent
		// its own already), and let the client reconnect.
		this.session.end(new EndCause.TransportError(cause));
		WebSocketCloseStatus status = closeStatusOf(cause);
		if (status != null) {
			this.router.onViolation(status);
		}
		if (status != null && !(cause instanceof CorruptedWebSocketFrameException) && ctx.channel().isActive()) {
			ctx.writeAndFlush(new CloseWebSocketFrame(status)).addListener(ChannelFutureListener.CLOSE);
			return;
		}
		ctx.close();
	}

	private static @Nullable WebSocketCloseStatus closeStatusOf(Throwable cause) {
		if (cause instanceof InboundViolationException violation) {
			return violation.status();
		}
		if (cause instanceof CorruptedWebSocketFrameException corrupted) {
			return corrupted.closeStatus();
		}
		if (cause instanceof TooLongFrameException) {
			// The aggregator: a fragmented message over max-frame-size.
			return WebSocketCloseStatus.MESSAGE_TOO_BIG;
		}
		return null;
	}

}
