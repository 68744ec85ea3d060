package io.websockex.adapter.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

/**
 * Takes data and control frames off the pipeline before Reactor Netty's reactive bridge:
 * the per-frame path is the hot path, and handling frames here skips a queue and a demand
 * hand-off per frame. Close frames pass on to Reactor Netty, which answers them, once
 * their status is noted.
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
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof TextWebSocketFrame text) {
			try {
				this.router.onText(this.session, text.content());
			}
			finally {
				text.release();
			}
		}
		else if (msg instanceof BinaryWebSocketFrame binary) {
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
				this.session.closeStatus = new WebSocketCloseStatus(close.statusCode(), close.reasonText());
			}
			ctx.fireChannelRead(msg);
		}
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		// Oversize or corrupt frames end up here after Netty sent its close frame:
		// remember
		// why, and let the connection close so that the client reconnects.
		this.session.error = cause;
		ctx.close();
	}

}
