package io.websockex.adapter.internal.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import reactor.core.publisher.Mono;

/**
 * The close handshake of a {@link TcpTransport} session (RFC 6455 section 7), and the end
 * of its pipeline: whatever {@link FrameHandler} passes on is taken here, so nothing
 * queues in Reactor Netty's reactive bridge behind it.
 * <ul>
 * <li>The server's close frame is answered with its own status code, then the connection
 * is closed.</li>
 * <li>{@link #sendClose} writes our close frame once and closes the connection when it is
 * written, as Reactor Netty's {@code sendClose} does: a server that never answers cannot
 * hold a reconnect.</li>
 * </ul>
 * The flag is touched on the channel's event loop only.
 */
final class CloseHandshake extends ChannelInboundHandlerAdapter implements Session.CloseSender {

	static final String NAME = "websockex.close";

	private final Channel channel;

	private boolean closeSent;

	CloseHandshake(Channel channel) {
		this.channel = channel;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (!(msg instanceof CloseWebSocketFrame close)) {
			ReferenceCountUtil.release(msg);
			return;
		}
		if (this.closeSent) {
			close.release();
			ctx.close();
			return;
		}
		this.closeSent = true;
		// FrameHandler has checked the code: echo it (an empty payload stays empty).
		ByteBuf payload = close.content();
		CloseWebSocketFrame answer = new CloseWebSocketFrame(true, 0,
				payload.retainedSlice(payload.readerIndex(), Math.min(2, payload.readableBytes())));
		close.release();
		ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
	}

	@Override
	public Mono<Void> sendClose(int code, String reason) {
		return Mono.create((sink) -> {
			Runnable write = () -> {
				if (this.closeSent || !this.channel.isActive()) {
					sink.success();
					return;
				}
				this.closeSent = true;
				// Closed once written, as Reactor Netty's sendClose does: reconnect() and
				// a failed auth must not wait on a server that never answers.
				this.channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener((future) -> {
					this.channel.close();
					if (future.isSuccess()) {
						sink.success();
					}
					else {
						sink.error(future.cause());
					}
				});
			};
			if (this.channel.eventLoop().inEventLoop()) {
				write.run();
			}
			else {
				this.channel.eventLoop().execute(write);
			}
		});
	}

}
