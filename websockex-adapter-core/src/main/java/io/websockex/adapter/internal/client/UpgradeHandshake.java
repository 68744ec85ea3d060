package io.websockex.adapter.internal.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
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
		return (int) Math.min(Integer.MAX_VALUE - 8, (long) MAX_STATUS_LINE + this.config.maxHandshakeHeaderSize());
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
		request.append(" HTTP/1.1\r\n");
		// The handshake's own headers win over configured ones of the same name (as with
		// Reactor Netty's client); Origin and User-Agent are only defaults.
		Set<String> written = new HashSet<>();
		String host = hostHeader();
		header(request, written, "Host", host);
		header(request, written, "Upgrade", "websocket");
		header(request, written, "Connection", "Upgrade");
		header(request, written, "Sec-WebSocket-Key", this.key);
		header(request, written, "Sec-WebSocket-Version", "13");
		if (!this.config.subprotocols().isEmpty()) {
			header(request, written, "Sec-WebSocket-Protocol", String.join(",", this.config.subprotocols()));
		}
		if (this.config.compression()) {
			header(request, written, "Sec-WebSocket-Extensions", COMPRESSION_OFFER);
		}
		for (Map.Entry<String, String> header : this.config.headers().entrySet()) {
			if (!written.contains(header.getKey().toLowerCase(Locale.ROOT))) {
				header(request, written, header.getKey(), header.getValue());
			}
		}
		if (!written.contains("origin")) {
			// What Netty's handshaker sends; some servers refuse a request without one.
			header(request, written, "Origin", (TcpTransport.isSecure(this.url) ? "https://" : "http://") + host);
		}
		if (!written.contains("user-agent")) {
			// Some gateways refuse requests without one.
			header(request, written, "User-Agent", "websockex");
		}
		request.append("\r\n");
		// ISO-8859-1, as Netty writes header values.
		ByteBuf bytes = allocator.buffer(request.length());
		bytes.writeCharSequence(request, StandardCharsets.ISO_8859_1);
		return bytes;
	}

	private String hostHeader() {
		String host = this.url.getHost();
		if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
			host = "[" + host + "]";
		}
		int port = this.url.getPort();
		return (port == -1 || port == TcpTransport.defaultPort(this.url)) ? host : host + ":" + port;
	}

	private static void header(StringBuilder request, Set<String> written, String name, String value) {
		written.add(name.toLowerCase(Locale.ROOT));
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
		// Lines end in CRLF, or a bare LF, which servers send too.
		String[] lines = head.split("\r?\n");
		int status = status(lines[0]);
		if (status != 101) {
			throw refused("the server answered the upgrade with HTTP " + status, status);
		}
		String upgrade = null;
		String connection = null;
		String accept = null;
		String protocol = null;
		String extensions = null;
		for (int i = 1; i < lines.length; i++) {
			String line = lines[i];
			int colon = line.indexOf(':');
			if (colon <= 0) {
				continue;
			}
			String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
			String value = line.substring(colon + 1).trim();
			switch (name) {
				case "upgrade" -> upgrade = joined(upgrade, value);
				case "connection" -> connection = joined(connection, value);
				case "sec-websocket-accept" -> accept = value;
				case "sec-websocket-protocol" -> protocol = value;
				case "sec-websocket-extensions" -> extensions = joined(extensions, value);
				default -> {
				}
			}
		}
		if (upgrade == null || !containsToken(upgrade, "websocket")) {
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
		return compression(extensions);
	}

	// Header lines that repeat are one list (RFC 9110 5.3).
	private static String joined(@Nullable String earlier, String value) {
		return (earlier == null) ? value : earlier + "," + value;
	}

	private static int status(String statusLine) {
		// HTTP/1.1 101 Switching Protocols
		int space = statusLine.indexOf(' ');
		if (!statusLine.startsWith("HTTP/1.") || space < 0 || statusLine.length() < space + 4
				|| (statusLine.length() > space + 4 && statusLine.charAt(space + 4) != ' ')) {
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

	// The server's values in an error: with the configuration's secrets masked (before
	// the value is cut, so no part of one is left), on one line, cut short.
	private String quoted(@Nullable String value) {
		if (value == null) {
			return "missing";
		}
		String text = FailureClassifier.mask(value, FailureClassifier.secretsOf(this.config))
			.replaceAll("\\p{Cntrl}", " ");
		return "'" + ((text.length() > 64) ? text.substring(0, 64) + "..." : text) + "'";
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
