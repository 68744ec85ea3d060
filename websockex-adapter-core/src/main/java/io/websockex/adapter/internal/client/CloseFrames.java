package io.websockex.adapter.internal.client;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

/**
 * Checks a server's close frame as RFC 6455 5.5.1 and 7.4 ask, which Netty's decoder, as
 * Reactor Netty configures it, does not: a code the server may not send is a protocol
 * error (1002), a reason that is not UTF-8 is invalid data (1007). The reason a server
 * gives ends up in logs and in {@code lastError}, so it is kept printable.
 */
final class CloseFrames {

	/**
	 * The longest reason a close frame can carry (125 bytes of payload less the code);
	 * kept whole, a server cannot make it longer.
	 */
	static final int MAX_REASON_BYTES = 123;

	private CloseFrames() {
	}

	/**
	 * The close status a valid close frame carries.
	 * @param content the frame's payload
	 * @return the status, its reason printable; code {@code 1005} (no status) for an
	 * empty payload
	 * @throws InboundViolationException if the frame breaks RFC 6455
	 */
	static WebSocketCloseStatus status(ByteBuf content) {
		int length = content.readableBytes();
		if (length == 0) {
			return WebSocketCloseStatus.EMPTY;
		}
		if (length == 1) {
			throw new InboundViolationException(WebSocketCloseStatus.PROTOCOL_ERROR,
					"the server's close frame has a 1-byte payload, too short for a status code");
		}
		int code = content.getUnsignedShort(content.readerIndex());
		if (!mayBeSent(code)) {
			throw new InboundViolationException(WebSocketCloseStatus.PROTOCOL_ERROR,
					"the server's close frame has code " + code + ", which an endpoint may not send");
		}
		String reason;
		try {
			reason = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(content.nioBuffer(content.readerIndex() + 2, length - 2))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new InboundViolationException(WebSocketCloseStatus.INVALID_PAYLOAD_DATA,
					"the server's close reason is not valid UTF-8");
		}
		return new WebSocketCloseStatus(code, printable(reason), false);
	}

	// RFC 6455 7.4.1 and 7.4.2, with the codes IANA registered since (1012 to 1014).
	private static boolean mayBeSent(int code) {
		return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
	}

	// No line breaks or other controls from a server into a log line.
	private static String printable(String reason) {
		StringBuilder clean = null;
		for (int i = 0; i < reason.length(); i++) {
			char c = reason.charAt(i);
			if (Character.isISOControl(c)) {
				if (clean == null) {
					clean = new StringBuilder(reason.substring(0, i));
				}
				clean.append(' ');
			}
			else if (clean != null) {
				clean.append(c);
			}
		}
		return (clean != null) ? clean.toString() : reason;
	}

}
