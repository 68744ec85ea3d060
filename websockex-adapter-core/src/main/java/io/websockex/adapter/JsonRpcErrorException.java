package io.websockex.adapter;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The server answered a JSON-RPC request with an {@code error} object.
 */
public class JsonRpcErrorException extends WebsockexException {

	private final int code;

	private final String errorMessage;

	private final @Nullable JsonNode data;

	/**
	 * Create an exception.
	 * @param client the client's name
	 * @param method the request's method
	 * @param code the error's {@code code}
	 * @param errorMessage the error's {@code message}
	 * @param data the error's {@code data}, if any
	 */
	public JsonRpcErrorException(String client, String method, int code, String errorMessage, @Nullable JsonNode data) {
		super("websockex client '" + client + "': server rejected '" + method + "' with error " + code + " ("
				+ errorMessage + ")" + ((data != null) ? " data=" + abbreviate(data.toString()) : "")
				+ "; check the method and its params against the server's API");
		this.code = code;
		this.errorMessage = errorMessage;
		this.data = data;
	}

	private static String abbreviate(String text) {
		return (text.length() <= 200) ? text : text.substring(0, 200) + "...";
	}

	/**
	 * The error's {@code code}.
	 * @return the code
	 */
	public int code() {
		return this.code;
	}

	/**
	 * The error's {@code message}.
	 * @return the server's message
	 */
	public String errorMessage() {
		return this.errorMessage;
	}

	/**
	 * The error's {@code data}.
	 * @return the data, or {@code null}
	 */
	public @Nullable JsonNode data() {
		return this.data;
	}

}
