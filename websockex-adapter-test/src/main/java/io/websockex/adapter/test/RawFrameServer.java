package io.websockex.adapter.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;

import org.jspecify.annotations.Nullable;

/**
 * A WebSocket server on 127.0.0.1 for testing a client against a hostile or broken
 * server: it answers the upgrade and then writes whatever bytes the test hands it, valid
 * or not (reserved bits, unknown opcodes, lengths that lie, fragments out of order, bad
 * compression, half a frame and then silence), which {@link WebsockexTestServer} and any
 * real server library refuse to send. It is a bare {@link ServerSocket} with one thread
 * and knows no client: connections are served one at a time, each run by the
 * {@link Script} and closed when it returns; stop the server with {@link #close()}.
 * Anything a script throws, other than the client hanging up, is kept in
 * {@link #errors()} for the test to assert on.
 *
 * <pre>{@code
 * Queue<Integer> closeCodes = new ConcurrentLinkedQueue<>();
 * try (RawFrameServer server = RawFrameServer.start((connection, index) -> {
 *     // a text frame with RSV2 set, which no extension agreed: a protocol error
 *     connection.writeFrame(true, 2, RawFrameServer.TEXT, "hi".getBytes(UTF_8));
 *     closeCodes.add(connection.awaitClientClose());
 * })) {
 *     WebsockexClient client = WebsockexClient.create("feed", Config.builder(server.url()).build());
 *     client.start();
 *     await().atMost(Duration.ofSeconds(10)).until(() -> closeCodes.contains(1002));
 *     client.close().block(Duration.ofSeconds(5));
 *     assertThat(server.errors()).isEmpty();
 * }
 * }</pre>
 *
 * <p>
 * For everything that is valid WebSocket (scripted answers, pushes, drops, stalls,
 * half-open connections, replays) use {@link WebsockexTestServer}: it is faster to write
 * and serves many connections at once.
 */
public final class RawFrameServer implements AutoCloseable {

	/** Opcode of a continuation frame. */
	public static final int CONTINUATION = 0x0;

	/** Opcode of a text frame. */
	public static final int TEXT = 0x1;

	/** Opcode of a binary frame. */
	public static final int BINARY = 0x2;

	/** Opcode of a close frame. */
	public static final int CLOSE = 0x8;

	/** Opcode of a ping frame. */
	public static final int PING = 0x9;

	/** Opcode of a pong frame. */
	public static final int PONG = 0xA;

	/** The RSV1 bit: "compressed" under permessage-deflate. */
	public static final int RSV1 = 0x4;

	private final ServerSocket socket;

	private final Script script;

	private final boolean deflate;

	private volatile String extraHeaders = "";

	private final Thread acceptor;

	private final AtomicInteger connections = new AtomicInteger();

	private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();

	private volatile boolean closed;

	private volatile @Nullable Socket current;

	private RawFrameServer(Script script, boolean deflate) throws IOException {
		this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		this.script = script;
		this.deflate = deflate;
		this.acceptor = new Thread(this::acceptLoop, "raw-frame-server-" + this.socket.getLocalPort());
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	/**
	 * Start a server that refuses compression.
	 * @param script what to do with each connection
	 * @return the running server
	 * @throws IOException if it cannot bind
	 */
	public static RawFrameServer start(Script script) throws IOException {
		return new RawFrameServer(script, false);
	}

	/**
	 * Start a server that accepts permessage-deflate when the client offers it.
	 * @param script what to do with each connection
	 * @return the running server
	 * @throws IOException if it cannot bind
	 */
	public static RawFrameServer startWithDeflate(Script script) throws IOException {
		return new RawFrameServer(script, true);
	}

	/**
	 * The URL to connect to.
	 * @return {@code ws://127.0.0.1:port/}
	 */
	public String url() {
		return "ws://127.0.0.1:" + this.socket.getLocalPort() + "/";
	}

	/**
	 * Add header lines to every upgrade response from now on.
	 * @param lines header lines, each ending in CRLF
	 */
	public void extraResponseHeaders(String lines) {
		this.extraHeaders = lines;
	}

	/**
	 * Connections whose upgrade was answered.
	 * @return the count
	 */
	public int connections() {
		return this.connections.get();
	}

	/**
	 * What scripts threw, other than the client going away.
	 * @return the errors
	 */
	public Queue<Throwable> errors() {
		return this.errors;
	}

	private void acceptLoop() {
		int index = 0;
		while (!this.closed) {
			try (Socket client = this.socket.accept()) {
				this.current = client;
				client.setTcpNoDelay(true);
				client.setSoTimeout(10_000);
				Connection connection = new Connection(client, this.deflate, this.extraHeaders);
				if (!connection.handshake()) {
					continue;
				}
				this.connections.incrementAndGet();
				this.script.run(connection, index++);
			}
			catch (SocketException ex) {
				// The client, or close(), hung up.
			}
			catch (Throwable ex) {
				if (!this.closed) {
					this.errors.add(ex);
				}
			}
			finally {
				this.current = null;
			}
		}
	}

	@Override
	public void close() throws IOException {
		this.closed = true;
		this.socket.close();
		Socket client = this.current;
		if (client != null) {
			client.close();
		}
		try {
			this.acceptor.join(10_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Compress a message the way a permessage-deflate server does: raw deflate, sync
	 * flush, the trailing {@code 00 00 ff ff} removed.
	 * @param message the bytes
	 * @return the frame payload
	 */
	public static byte[] deflate(byte[] message) {
		return deflateRepeated(message, 1);
	}

	/**
	 * Compress {@code times} repetitions of {@code block} without ever holding them all:
	 * a large message that costs the test JVM only its compressed size.
	 * @param block the repeated bytes
	 * @param times how many times
	 * @return the frame payload
	 */
	public static byte[] deflateRepeated(byte[] block, int times) {
		Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[64 * 1024];
		try {
			for (int i = 0; i < times; i++) {
				deflater.setInput(block);
				while (!deflater.needsInput()) {
					out.write(buffer, 0, deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH));
				}
			}
			int n;
			do {
				n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
				out.write(buffer, 0, n);
			}
			while (n == buffer.length);
		}
		finally {
			deflater.end();
		}
		byte[] bytes = out.toByteArray();
		// RFC 7692 7.2.1: the sender drops the empty block's 4 octets.
		return java.util.Arrays.copyOf(bytes, bytes.length - 4);
	}

	/**
	 * Compress a message as one complete deflate stream (its last block marked final), as
	 * a server that resets its context per message may.
	 * @param message the bytes
	 * @return the frame payload
	 */
	public static byte[] deflateFinished(byte[] message) {
		Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[64 * 1024];
		try {
			deflater.setInput(message);
			deflater.finish();
			while (!deflater.finished()) {
				out.write(buffer, 0, deflater.deflate(buffer));
			}
		}
		finally {
			deflater.end();
		}
		return out.toByteArray();
	}

	/**
	 * Compress one message as fragments of one deflate stream, each ending on a sync
	 * flush, so that fragment {@code i} inflates to exactly {@code parts[i]}.
	 * @param parts the message's parts
	 * @return the fragments' payloads; the last one without the trailing 4 octets
	 */
	public static java.util.List<byte[]> deflateFragments(byte[]... parts) {
		Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
		java.util.List<byte[]> fragments = new java.util.ArrayList<>();
		byte[] buffer = new byte[64 * 1024];
		try {
			for (byte[] part : parts) {
				ByteArrayOutputStream out = new ByteArrayOutputStream();
				deflater.setInput(part);
				int n;
				do {
					n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
					out.write(buffer, 0, n);
				}
				while (n == buffer.length || !deflater.needsInput());
				fragments.add(out.toByteArray());
			}
		}
		finally {
			deflater.end();
		}
		byte[] last = fragments.get(fragments.size() - 1);
		fragments.set(fragments.size() - 1, java.util.Arrays.copyOf(last, last.length - 4));
		return fragments;
	}

	/** What the server does with one upgraded connection. */
	@FunctionalInterface
	public interface Script {

		/**
		 * Drive one connection; it is closed when this returns.
		 * @param connection the upgraded connection
		 * @param index 0 for the first connection, then 1, 2, ...
		 * @throws Exception anything, recorded in {@link #errors()}
		 */
		void run(Connection connection, int index) throws Exception;

	}

	/** One upgraded connection: raw frame writes and reads of the client's frames. */
	public static final class Connection {

		private final Socket socket;

		private final InputStream in;

		private final OutputStream out;

		private final boolean deflateOffered;

		private boolean deflate;

		private int pongs;

		private final String extraHeaders;

		Connection(Socket socket, boolean deflateOffered, String extraHeaders) throws IOException {
			this.extraHeaders = extraHeaders;
			this.socket = socket;
			this.in = socket.getInputStream();
			this.out = socket.getOutputStream();
			this.deflateOffered = deflateOffered;
		}

		/**
		 * Whether permessage-deflate was agreed for this connection.
		 * @return {@code true} if so
		 */
		public boolean deflate() {
			return this.deflate;
		}

		boolean handshake() throws IOException, NoSuchAlgorithmException {
			String key = null;
			boolean offered = false;
			for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
				String lower = line.toLowerCase(Locale.ROOT);
				if (lower.startsWith("sec-websocket-key:")) {
					key = line.substring(line.indexOf(':') + 1).trim();
				}
				else if (lower.startsWith("sec-websocket-extensions:") && lower.contains("permessage-deflate")) {
					offered = true;
				}
			}
			if (key == null) {
				return false;
			}
			String accept = Base64.getEncoder()
				.encodeToString(MessageDigest.getInstance("SHA-1")
					.digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
			this.deflate = offered && this.deflateOffered;
			// Extra headers first: a decoder that stops at its bound must not have seen
			// the accept key by then.
			String response = "HTTP/1.1 101 Switching Protocols\r\n" + this.extraHeaders
					+ "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept + "\r\n"
					+ (this.deflate ? "Sec-WebSocket-Extensions: permessage-deflate\r\n" : "") + "\r\n";
			writeRaw(response.getBytes(StandardCharsets.US_ASCII));
			return true;
		}

		/**
		 * Write the handshake response's bytes yourself: not used by the default upgrade.
		 * @param bytes anything
		 * @throws IOException if the client went away
		 */
		public void writeRaw(byte[] bytes) throws IOException {
			this.out.write(bytes);
			this.out.flush();
		}

		/**
		 * Write one frame with the real length in the header.
		 * @param fin the FIN bit
		 * @param rsv the reserved bits (RSV1 = 4, RSV2 = 2, RSV3 = 1)
		 * @param opcode the opcode, 0 to 15
		 * @param payload the payload, sent unmasked
		 * @throws IOException if the client went away
		 */
		public void writeFrame(boolean fin, int rsv, int opcode, byte[] payload) throws IOException {
			writeRaw(frame(fin, rsv, opcode, payload, false));
		}

		/**
		 * Encode a frame.
		 * @param fin the FIN bit
		 * @param rsv the reserved bits
		 * @param opcode the opcode
		 * @param payload the payload
		 * @param masked mask it (which a server must not)
		 * @return the bytes on the wire
		 */
		public static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
			ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
			frame.write((fin ? 0x80 : 0) | ((rsv & 0x7) << 4) | (opcode & 0xF));
			int mask = masked ? 0x80 : 0;
			if (payload.length < 126) {
				frame.write(mask | payload.length);
			}
			else if (payload.length < 65536) {
				frame.write(mask | 126);
				frame.write(payload.length >>> 8);
				frame.write(payload.length & 0xFF);
			}
			else {
				frame.write(mask | 127);
				long length = payload.length;
				for (int shift = 56; shift >= 0; shift -= 8) {
					frame.write((int) (length >>> shift) & 0xFF);
				}
			}
			if (masked) {
				byte[] key = { 0x11, 0x22, 0x33, 0x44 };
				frame.writeBytes(key);
				for (int i = 0; i < payload.length; i++) {
					frame.write(payload[i] ^ key[i & 3]);
				}
			}
			else {
				frame.writeBytes(payload);
			}
			return frame.toByteArray();
		}

		/**
		 * Read the client's frames until its close frame and answer it.
		 * @return the client's close code, {@code 1005} for a close without one, or
		 * {@code -1} if it hung up, or was silent for 10 s, without a close frame
		 * @throws IOException on a read error other than a hang-up
		 */
		public int awaitClientClose() throws IOException {
			try {
				while (true) {
					int b0 = this.in.read();
					int b1 = this.in.read();
					if (b0 < 0 || b1 < 0) {
						return -1;
					}
					long length = b1 & 0x7F;
					if (length == 126) {
						length = (readByte() << 8) | readByte();
					}
					else if (length == 127) {
						length = 0;
						for (int i = 0; i < 8; i++) {
							length = (length << 8) | readByte();
						}
					}
					byte[] key = ((b1 & 0x80) != 0) ? this.in.readNBytes(4) : new byte[4];
					byte[] payload = this.in.readNBytes((int) length);
					if (payload.length < length) {
						return -1;
					}
					for (int i = 0; i < payload.length; i++) {
						payload[i] ^= key[i & 3];
					}
					if ((b0 & 0xF) == PONG) {
						this.pongs++;
					}
					if ((b0 & 0xF) == CLOSE) {
						int code = (payload.length >= 2) ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
						try {
							writeFrame(true, 0, CLOSE, new byte[0]);
						}
						catch (IOException ex) {
							// Already gone: the code is what counts.
						}
						return code;
					}
				}
			}
			catch (SocketTimeoutException | SocketException ex) {
				return -1;
			}
		}

		/**
		 * Pongs {@link #awaitClientClose()} read.
		 * @return the count
		 */
		public int pongs() {
			return this.pongs;
		}

		/**
		 * Stop writing: the client reads the end of the stream.
		 * @throws IOException if the socket is gone
		 */
		public void shutdownOutput() throws IOException {
			this.socket.shutdownOutput();
		}

		private int readByte() throws IOException {
			int b = this.in.read();
			if (b < 0) {
				throw new SocketException("end of stream inside a frame header");
			}
			return b;
		}

		private @Nullable String readLine() throws IOException {
			StringBuilder line = new StringBuilder();
			int b;
			while ((b = this.in.read()) >= 0) {
				if (b == '\n') {
					int end = line.length();
					return (end > 0 && line.charAt(end - 1) == '\r') ? line.substring(0, end - 1) : line.toString();
				}
				line.append((char) b);
			}
			return (line.length() > 0) ? line.toString() : null;
		}

	}

}
