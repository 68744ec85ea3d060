package io.websockex.adapter.test.internal;

import java.util.ArrayList;
import java.util.List;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * First in the pipeline of a socket accepted while the server is frozen: holds every read
 * (the upgrade request included) until the thaw, and asks for no more reads, so that the
 * client's upgrade hangs as it would behind a dead network path. Used on one channel's
 * event loop only.
 */
public final class FreezeGate extends ChannelInboundHandlerAdapter {

	private final List<Object> held = new ArrayList<>();

	private boolean frozen = true;

	private boolean inactive;

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		ctx.channel().config().setAutoRead(false);
		ctx.fireChannelActive();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (this.frozen) {
			this.held.add(msg);
			return;
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		if (!this.frozen) {
			ctx.fireChannelReadComplete();
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		// A close seen while frozen is passed on at the thaw, as a dead path would.
		if (this.frozen) {
			this.inactive = true;
			return;
		}
		ctx.fireChannelInactive();
	}

	/**
	 * Pass on what was held and everything after it.
	 * @param ctx this handler's context
	 */
	public void thaw(ChannelHandlerContext ctx) {
		ctx.executor().execute(() -> {
			this.frozen = false;
			this.held.forEach(ctx::fireChannelRead);
			this.held.clear();
			ctx.fireChannelReadComplete();
			ctx.channel().config().setAutoRead(true);
			if (this.inactive) {
				ctx.fireChannelInactive();
			}
			else {
				ctx.read();
			}
		});
	}

}
