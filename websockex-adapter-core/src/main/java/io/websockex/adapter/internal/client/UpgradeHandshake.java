package io.websockex.adapter.internal.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.websockex.adapter.Config;
import org.jspecify.annotations.Nullable;

/**
 * The client's side of the WebSocket opening handshake (RFC 6455 section 4.1), written
 * and checked without an HTTP codec: the request is a few lines of text, and the answer a
 * status line and headers read once. A refusal is reported as Netty's
 * {@link WebSocketClientHandshakeException} carrying the status, so that
 * {@link FailureClassifier} reads it as it reads Reactor Netty's; headers beyond
 * {@code max-handshake-header-size} as {@link TooLongHttpHeaderException}.
 * <p>
 * Offers what Reactor Netty's client offers: the configured subprotocols, and with
 * compression on, permessage-deflate (RFC 7692) and the older deflate-frame. Messages are
 * inflated by {@link MessageInflater}; outbound frames are sent uncompressed, which RFC
 * 7692 allows.
 */
final class UpgradeHandshake {

	private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	// Netty's bound for the status line, beside Config's for the headers.
	private static final int MAX_STATUS_LINE = 4096;

	private static final String COMPRESSION_OFFER = "permessage-deflate; client_max_window_bits, deflate-frame, "
			+ "x-webkit-deflate-frame";

	private final URI url;

	private final Config config;

	private final String key;

	UpgradeHandshake(URI url, Config config) {
		this.url = url;
		this.config = config;
		byte[] nonce = new byte[16];
		ThreadLocalRandom.current().nextBytes(nonce);
		this.key = Base64.getEncoder().encodeToString(nonce);
	}

	/**
	 * The most bytes the server's answer may take up to the end of its headers.
	 * @return the bound
	 */
	int maxResponseHeadSize() {
		return MAX_STATUS_LINE + this.config.maxHandshakeHeaderSize();
	}

	/**
	 * Whether an answer's status line and header lines each keep within their bound
	 * (Netty's 4,096 bytes for the line, {@code max-handshake-header-size} for the
	 * headers).
	 * @param buffer holds the answer
	 * @param index where it starts
	 * @param length its length, up to the empty line
	 * @return {@code true} if within
	 */
	boolean withinBounds(ByteBuf buffer, int index, int length) {
		int lineEnd = buffer.indexOf(index, index + length, (byte) '\n');
		int statusLine = (lineEnd < 0) ? length : lineEnd - index;
		return statusLine <= MAX_STATUS_LINE && length - statusLine <= this.config.maxHandshakeHeaderSize();
	}

	/**
	 * The upgrade request.
	 * @param allocator allocates the buffer
	 * @return the request's bytes
	 */
	ByteBuf request(ByteBufAllocator allocator) {
		StringBuilder request = new StringBuilder(256);
		String path = this.url.getRawPath();
		request.append("GET ").append((path == null || path.isEmpty()) ? "/" : path);
		if (this.url.getRawQuery() != null) {
			request.append('?').append(this.url.getRawQuery());
		}
		request.append(" HTTP/1.1\r\nHost: ").append(hostHeader());
		request.append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ").append(this.key);
		request.append("\r\nSec-WebSocket-Version: 13\r\n");
		if (!this.config.subprotocols().isEmpty()) {
			header(request, "Sec-WebSocket-Protocol", String.join(",", this.config.subprotocols()));
		}
		if (this.config.compression()) {
			header(request, "Sec-WebSocket-Extensions", COMPRESSION_OFFER);
		}
		boolean userAgent = false;
		for (Map.Entry<String, String> header : this.config.headers().entrySet()) {
			header(request, header.getKey(), header.getValue());
			userAgent |= header.getKey().equalsIgnoreCase("User-Agent");
		}
		if (!userAgent) {
			// Some gateways refuse requests without one.
			header(request, "User-Agent", "websockex");
		}
		request.append("\r\n");
		return ByteBufUtil.writeUtf8(allocator, request);
	}

	private String hostHeader() {
		String host = this.url.getHost();
		if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
			host = "[" + host + "]";
		}
		int port = this.url.getPort();
		boolean secure = "wss".equalsIgnoreCase(this.url.getScheme());
		return (port == -1 || port == (secure ? 443 : 80)) ? host : host + ":" + port;
	}

	private static void header(StringBuilder request, String name, String value) {
		request.append(name).append(": ").append(value).append("\r\n");
	}

	/**
	 * Check the server's answer, from its status line to the empty line that ends its
	 * headers.
	 * @param head the answer's head, ISO-8859-1 decoded, without the final empty line
	 * @return the compression the server agreed to
	 * @throws WebSocketClientHandshakeException if the server refused, or answered
	 * something RFC 6455 tells a client to fail
	 */
	MessageInflater.Mode accept(String head) {
		int lineEnd = head.indexOf("\r\n");
		String statusLine = (lineEnd >= 0) ? head.substring(0, lineEnd) : head;
		int status = status(statusLine);
		if (status != 101) {
			throw refused("the server answered the upgrade with HTTP " + status, status);
		}
		String upgrade = null;
		String connection = null;
		String accept = null;
		String protocol = null;
		StringBuilder extensions = null;
		int start = (lineEnd >= 0) ? lineEnd + 2 : head.length();
		while (start < head.length()) {
			int end = head.indexOf("\r\n", start);
			if (end < 0) {
				end = head.length();
			}
			int colon = head.indexOf(':', start);
			if (colon > start && colon < end) {
				String name = head.substring(start, colon).trim().toLowerCase(Locale.ROOT);
				String value = head.substring(colon + 1, end).trim();
				switch (name) {
					case "upgrade" -> upgrade = value;
					case "connection" -> connection = value;
					case "sec-websocket-accept" -> accept = value;
					case "sec-websocket-protocol" -> protocol = value;
					case "sec-websocket-extensions" -> extensions = (extensions == null) ? new StringBuilder(value)
							: extensions.append(',').append(value);
					default -> {
					}
				}
			}
			start = end + 2;
		}
		if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
			throw refused("the upgrade response's Upgrade header is " + quoted(upgrade) + ", not websocket", 101);
		}
		if (connection == null || !containsToken(connection, "upgrade")) {
			throw refused("the upgrade response's Connection header is " + quoted(connection) + ", not upgrade", 101);
		}
		if (!expectedAccept().equals(accept)) {
			throw refused("the upgrade response's Sec-WebSocket-Accept does not match the key sent", 101);
		}
		if (protocol != null && !this.config.subprotocols().contains(protocol)) {
			throw refused("the server chose subprotocol " + quoted(protocol) + ", which was not offered", 101);
		}
		return compression((extensions != null) ? extensions.toString() : null);
	}

	private static int status(String statusLine) {
		// HTTP/1.1 101 Switching Protocols
		int space = statusLine.indexOf(' ');
		if (!statusLine.startsWith("HTTP/1.") || space < 0 || statusLine.length() < space + 4) {
			throw new WebSocketClientHandshakeException("the server's answer to the upgrade is not HTTP/1.1");
		}
		int status = 0;
		for (int i = space + 1; i < space + 4; i++) {
			char digit = statusLine.charAt(i);
			if (digit < '0' || digit > '9') {
				throw new WebSocketClientHandshakeException("the server's answer to the upgrade has no status code");
			}
			status = status * 10 + (digit - '0');
		}
		return status;
	}

	// RFC 6455 4.1 and RFC 7692: an extension the client did not offer, or a parameter it
	// does not know, fails the connection.
	private MessageInflater.Mode compression(@Nullable String extensions) {
		if (extensions == null || extensions.isBlank()) {
			return MessageInflater.Mode.NONE;
		}
		if (!this.config.compression()) {
			throw refused("the server chose extensions " + quoted(extensions) + ", none of which were offered", 101);
		}
		String[] chosen = extensions.split(",");
		if (chosen.length > 1) {
			throw refused("the server chose more than one extension: " + quoted(extensions), 101);
		}
		String[] parts = chosen[0].split(";");
		String name = parts[0].trim().toLowerCase(Locale.ROOT);
		MessageInflater.Mode mode = switch (name) {
			case "permessage-deflate" -> MessageInflater.Mode.PER_MESSAGE;
			case "deflate-frame", "x-webkit-deflate-frame" -> MessageInflater.Mode.PER_FRAME;
			default -> throw refused("the server chose extension " + quoted(name) + ", which was not offered", 101);
		};
		for (int i = 1; i < parts.length; i++) {
			String parameter = parts[i].trim();
			int equals = parameter.indexOf('=');
			String key = ((equals < 0) ? parameter : parameter.substring(0, equals)).trim().toLowerCase(Locale.ROOT);
			boolean known = (mode == MessageInflater.Mode.PER_MESSAGE)
					? key.equals("server_no_context_takeover") || key.equals("client_no_context_takeover")
							|| key.equals("server_max_window_bits") || key.equals("client_max_window_bits")
					: key.equals("max_window_bits") || key.equals("no_context_takeover");
			if (!known) {
				throw refused("the server's " + name + " has parameter " + quoted(key) + ", which is not defined", 101);
			}
		}
		return mode;
	}

	private String expectedAccept() {
		try {
			MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
			byte[] digest = sha1.digest((this.key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
			return Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			// Every Java platform has SHA-1 (MessageDigest's javadoc).
			throw new IllegalStateException(ex);
		}
	}

	private static boolean containsToken(String value, String token) {
		for (String part : value.split(",")) {
			if (part.trim().equalsIgnoreCase(token)) {
				return true;
			}
		}
		return false;
	}

	// The server's values, cut short: an error message is one line of a log.
	private static String quoted(@Nullable String value) {
		if (value == null) {
			return "missing";
		}
		return "'" + ((value.length() > 64) ? value.substring(0, 64) + "..." : value) + "'";
	}

	private static WebSocketClientHandshakeException refused(String message, int status) {
		return new WebSocketClientHandshakeException(message,
				new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status)));
	}

	/**
	 * The answer's head did not end within {@link #maxResponseHeadSize()}.
	 * @return the error
	 */
	TooLongHttpHeaderException tooLong() {
		return new TooLongHttpHeaderException("the upgrade response's headers are larger than "
				+ this.config.maxHandshakeHeaderSize() + " bytes (max-handshake-header-size)");
	}

}
