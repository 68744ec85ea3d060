package io.websockex.adapter.bench;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Supplier;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * The load server of the benchmarks, in its own JVM on 127.0.0.1. Built so that it is
 * never what limits a run: every mode works on the Netty channel directly with
 * pre-encoded bytes.
 * <ul>
 * <li>{@code blast}: on connect, writes {@code frames} (option, or query parameter of the
 * URL) pre-encoded ticker notifications as fast as the socket takes them, then keeps the
 * connection until the client closes it.</li>
 * <li>{@code echo-rpc}: answers each JSON-RPC request with a result carrying the same
 * {@code id}.</li>
 * <li>{@code idle}: holds connections; a text frame {@code drop} makes it close that
 * connection (close 1012, as a restarting server would), staying up for the
 * reconnect.</li>
 * </ul>
 * Usage: {@code LoadServer --mode blast|echo-rpc|idle [--port 0] [--frames 2000000]};
 * prints {@code LISTENING <port>} once bound, and runs until killed.
 */
public final class LoadServer {

	private static final int BATCH_FRAMES = 64;

	private LoadServer() {
	}

	/**
	 * Start the server.
	 * @param argv the arguments
	 */
	public static void main(String[] argv) {
		Args args = new Args(argv);
		String mode = args.string("mode", "blast").toLowerCase(Locale.ROOT);
		long defaultFrames = args.number("frames", 2_000_000);
		TickerFrames frames = new TickerFrames(BATCH_FRAMES);
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(args.integer("port", 0))
			.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 1024 * 1024))
			.handle((request, response) -> {
				long count = frameCount(request.uri(), defaultFrames);
				Supplier<ChannelHandler> handler = switch (mode) {
					case "blast" -> () -> new Blast(frames, count);
					case "echo-rpc" -> EchoRpc::new;
					case "idle" -> Idle::new;
					default -> throw new IllegalArgumentException("unknown mode " + mode);
				};
				return response.sendWebsocket((in, out) -> {
					in.withConnection((connection) -> connection.addHandlerLast("bench." + mode, handler.get()));
					// Close frames still reach Reactor Netty, which answers them.
					return in.receive().then();
				}, WebsocketServerSpec.builder().maxFramePayloadLength(1024 * 1024).build());
			})
			.bindNow();
		Runtime.getRuntime().addShutdownHook(new Thread(server::disposeNow));
		System.out.println("LISTENING " + server.port() + " mode=" + mode);
		System.out.flush();
		server.onDispose().block();
	}

	private static long frameCount(String uri, long fallback) {
		var values = new QueryStringDecoder(uri).parameters().get("frames");
		return (values != null && !values.isEmpty()) ? Long.parseLong(values.get(0)) : fallback;
	}

	/**
	 * Writes pre-encoded frames in batches, one flush per batch, only while the channel
	 * is writable; picks up again when it becomes writable.
	 */
	private static final class Blast extends ChannelInboundHandlerAdapter {

		private final TickerFrames frames;

		private long remaining;

		Blast(TickerFrames frames, long count) {
			this.frames = frames;
			this.remaining = count;
		}

		@Override
		public void handlerAdded(ChannelHandlerContext ctx) {
			ctx.executor().execute(() -> pump(ctx));
		}

		@Override
		public void channelWritabilityChanged(ChannelHandlerContext ctx) {
			if (ctx.channel().isWritable()) {
				pump(ctx);
			}
			ctx.fireChannelWritabilityChanged();
		}

		private void pump(ChannelHandlerContext ctx) {
			int batch = this.frames.batchFrames();
			while (this.remaining > 0 && ctx.channel().isActive() && ctx.channel().isWritable()) {
				if (this.remaining >= batch) {
					ctx.write(this.frames.batch(), ctx.voidPromise());
					this.remaining -= batch;
				}
				else {
					ctx.write(this.frames.frame((int) this.remaining), ctx.voidPromise());
					this.remaining--;
				}
				ctx.flush();
			}
		}

	}

	/**
	 * Answers {@code {"jsonrpc":"2.0","id":<id>,...}} with a result for the same id,
	 * copying the id's bytes without parsing the request; one flush per read.
	 */
	private static final class EchoRpc extends ChannelInboundHandlerAdapter {

		private static final byte[] ID = "\"id\":".getBytes(StandardCharsets.US_ASCII);

		private static final ByteBuf PREFIX = constant("{\"jsonrpc\":\"2.0\",\"id\":");

		private static final ByteBuf SUFFIX = constant(",\"result\":{\"version\":\"1.2.26\"},"
				+ "\"usIn\":1700000000000000,\"usOut\":1700000000000015,\"usDiff\":15,\"testnet\":true}");

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (!(msg instanceof TextWebSocketFrame frame)) {
				ctx.fireChannelRead(msg);
				return;
			}
			try {
				ByteBuf request = frame.content();
				int start = idStart(request);
				if (start < 0) {
					return;
				}
				int end = start;
				while (end < request.writerIndex() && request.getByte(end) != ',' && request.getByte(end) != '}') {
					end++;
				}
				ByteBuf response = ctx.alloc().buffer(PREFIX.readableBytes() + (end - start) + SUFFIX.readableBytes());
				response.writeBytes(PREFIX, PREFIX.readerIndex(), PREFIX.readableBytes());
				response.writeBytes(request, start, end - start);
				response.writeBytes(SUFFIX, SUFFIX.readerIndex(), SUFFIX.readableBytes());
				ctx.write(new TextWebSocketFrame(response), ctx.voidPromise());
			}
			finally {
				frame.release();
			}
		}

		@Override
		public void channelReadComplete(ChannelHandlerContext ctx) {
			ctx.flush();
			ctx.fireChannelReadComplete();
		}

		private static int idStart(ByteBuf request) {
			int last = request.writerIndex() - ID.length;
			outer: for (int i = request.readerIndex(); i <= last; i++) {
				for (int j = 0; j < ID.length; j++) {
					if (request.getByte(i + j) != ID[j]) {
						continue outer;
					}
				}
				return i + ID.length;
			}
			return -1;
		}

		private static ByteBuf constant(String text) {
			return Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
		}

	}

	/**
	 * Holds the connection; a {@code drop} text frame closes it the way a restarting
	 * server does.
	 */
	private static final class Idle extends ChannelInboundHandlerAdapter {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (!(msg instanceof TextWebSocketFrame frame)) {
				ctx.fireChannelRead(msg);
				return;
			}
			boolean drop = "drop".equals(frame.text());
			frame.release();
			if (drop) {
				ctx.writeAndFlush(new CloseWebSocketFrame(1012, "service restart"))
					.addListener(ChannelFutureListener.CLOSE);
			}
		}

	}

}
