package io.websockex.adapter.internal.client;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.websockex.adapter.Config;
import reactor.netty.NettyPipeline;

/**
 * Puts a new session's pipeline in shape to meet a hostile server, right after the
 * upgrade and before the first frame is read (on the event loop).
 */
final class InboundGuards {

	// Netty's names for the frame codec its client handshaker installs.
	private static final String WS_DECODER = "ws-decoder";

	private static final String WS_ENCODER = "ws-encoder";

	private InboundGuards() {
	}

	/**
	 * Install the guards in front of {@code frameHandler}.
	 * @param pipeline the session's pipeline
	 * @param frameHandler the handler that takes frames, already in the pipeline
	 * @param config the client's configuration
	 */
	static void install(ChannelPipeline pipeline, FrameHandler frameHandler, Config config) {
		// Our decoder in place of Netty's, before anything is read: the handshaker's
		// decoder has seen no byte yet (the HTTP codec that holds any early frame is
		// removed later, and hands them on to whatever decoder is here then).
		if (pipeline.get(WS_DECODER) != null) {
			pipeline.replace(WS_DECODER, WS_DECODER, new FrameDecoder(frameHandler, config.maxFrameSize()));
		}
		// The handshaker adds its decoder after the HTTP codec, so it sits in front of
		// the frame encoder: the close frame it writes on a protocol violation (1002,
		// 1007, 1009) then bypasses the encoder, fails, and the server sees only a
		// dropped connection. With the encoder first, the server gets the code RFC 6455
		// asks for. Netty's encoder cannot be moved (not @Sharable) and holds no state: a
		// new one takes its place. Masking on, as a client must.
		if (pipeline.get(WS_ENCODER) instanceof WebSocket13FrameEncoder && pipeline.get(WS_DECODER) != null) {
			pipeline.remove(WS_ENCODER);
			pipeline.addBefore(WS_DECODER, WS_ENCODER, new WebSocket13FrameEncoder(true));
		}
		if (config.compression()) {
			MessageInflater.install(pipeline, FrameHandler.NAME, config.maxFrameSize());
		}
	}

	/**
	 * The same pipeline for a connection whose upgrade was read by hand
	 * ({@link TcpTransport}): encoder, our decoder, the inflater if compression was
	 * offered, the frame handler and the close handshake, all in front of Reactor Netty's
	 * bridge.
	 * @param pipeline the connection's pipeline
	 * @param frameHandler the handler that takes frames
	 * @param closer answers and sends close frames
	 * @param config the client's configuration
	 * @param compression what the server agreed to
	 */
	static void installAfterOwnUpgrade(ChannelPipeline pipeline, FrameHandler frameHandler, CloseHandshake closer,
			Config config, MessageInflater.Mode compression) {
		// Masking on, as a client must; the encoder in front of the decoder, as above.
		pipeline.addBefore(NettyPipeline.ReactiveBridge, WS_ENCODER, new WebSocket13FrameEncoder(true));
		pipeline.addBefore(NettyPipeline.ReactiveBridge, WS_DECODER,
				new FrameDecoder(frameHandler, config.maxFrameSize()));
		pipeline.addBefore(NettyPipeline.ReactiveBridge, FrameHandler.NAME, frameHandler);
		pipeline.addBefore(NettyPipeline.ReactiveBridge, CloseHandshake.NAME, closer);
		if (config.compression()) {
			MessageInflater.install(pipeline, FrameHandler.NAME, config.maxFrameSize(), compression);
		}
	}

}
