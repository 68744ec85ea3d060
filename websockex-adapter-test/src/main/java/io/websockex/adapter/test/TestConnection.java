package io.websockex.adapter.test;

import java.util.Set;

import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * One open WebSocket connection on a {@link WebsockexTestServer}, for tests that need to
 * act on a single connection rather than on all of them.
 */
public interface TestConnection {

	/**
	 * @return the connection's number on its server, 1 for the first upgrade
	 */
	int id();

	/**
	 * Send a text frame on this connection.
	 * @param text the frame's text
	 */
	void send(String text);

	/**
	 * Send a binary frame on this connection.
	 * @param bytes the frame's payload
	 */
	void sendBinary(byte[] bytes);

	/**
	 * Send a ping frame on this connection.
	 * @param payload the ping's payload (at most 125 bytes)
	 */
	void sendPing(byte[] payload);

	/**
	 * Send any frame as it is, for what the other methods cannot make (fragments, frames
	 * with reserved bits, control frames of the wrong size).
	 * @param frame the frame; it is released when written
	 */
	void sendFrame(WebSocketFrame frame);

	/**
	 * Send a close frame with this status code and reason, then close the socket.
	 * @param code the RFC 6455 status code
	 * @param reason the reason text
	 */
	void close(int code, String reason);

	/**
	 * Close the socket without a close frame, as a crash or a network cut would.
	 */
	void drop();

	/**
	 * @return the channels this connection subscribed to and has not unsubscribed from,
	 * as acknowledged by the server
	 */
	Set<String> subscriptions();

	/**
	 * @return the status code of the close frame the client sent, or -1 if it sent none
	 */
	int closeCode();

	/**
	 * @return whether the socket is still open
	 */
	boolean isOpen();

}
