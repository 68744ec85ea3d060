package io.websockex.adapter.internal.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import reactor.netty.NettyPipeline;

/**
 * Takes data and control frames off the pipeline before Reactor Netty's reactive bridge:
 * the per-frame path is the hot path, and handling frames here skips a queue and a demand
 * hand-off per frame. Close frames pass on to Reactor Netty, which answers them, once
 * their status is noted.
 * <p>
 * Fragmented messages are put together by Netty's {@link WebSocketFrameAggregator}, bound
 * to {@code max-frame-size} for the whole message, which this handler puts in front of
 * itself at the first fragment: until then it would only pass frames on, and most
 * connections never see a fragment, so they do without its pipeline entry.
 */
final class FrameHandler extends ChannelInboundHandlerAdapter {

	static final String NAME = "websockex.frames";

	private final InboundRouter router;

	private final Session session;

	FrameHandler(InboundRouter router, Session session) {
		this.router = router;
		this.session = session;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		this.session.inRead = true;
		if (msg instanceof TextWebSocketFrame text) {
			if (!text.isFinalFragment()) {
				startAggregating(ctx, text);
				return;
			}
			try {
				this.router.onText(this.session, text.content());
			}
			finally {
				text.release();
			}
		}
		else if (msg instanceof BinaryWebSocketFrame binary) {
			if (!binary.isFinalFragment()) {
				startAggregating(ctx, binary);
				return;
			}
			try {
				this.router.onBinary(this.session, binary.content());
			}
			finally {
				binary.release();
			}
		}
		else if (msg instanceof PingWebSocketFrame ping) {
			// The pong takes over the ping's buffer, so no release here.
			ctx.writeAndFlush(new PongWebSocketFrame(ping.content()));
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
				String reason = close.reasonText();
				this.session.end(new EndCause.ServerClosed(close.statusCode(), (reason != null) ? reason : ""));
			}
			ctx.fireChannelRead(msg);
		}
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
		this.session.readComplete();
		ctx.fireChannelReadComplete();
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		// Oversize or corrupt frames end up here after Netty sent its close frame:
		// remember why, and let the connection close so that the client reconnects.
		this.session.end(new EndCause.TransportError(cause));
		ctx.close();
	}

}
