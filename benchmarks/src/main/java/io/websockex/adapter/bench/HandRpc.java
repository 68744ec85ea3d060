package io.websockex.adapter.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON-RPC by hand over any {@link Peer}'s connection, as an application without
 * websockex writes it: each request's text built with its id, the callback kept in a
 * {@link ConcurrentHashMap} by id, each response parsed into a Jackson tree and its
 * {@code id} looked up.
 */
final class HandRpc implements RpcBench.Caller {

	private final Map<Long, RpcBench.Callback> pending = new ConcurrentHashMap<>();

	private final AtomicLong ids = new AtomicLong();

	private final JsonMapper mapper = JsonMapper.builder().build();

	private final String method;

	private volatile Peer.@Nullable Connection connection;

	HandRpc(String method) {
		this.method = method;
	}

	/**
	 * Open the connection that requests go out on.
	 * @param peer the library
	 * @param url the server
	 * @return the connection, to close at the end
	 * @throws Exception if it does not open
	 */
	Peer.Connection open(Peer peer, String url) throws Exception {
		Peer.Connection connection = peer.open(url, this::onText);
		this.connection = connection;
		return connection;
	}

	@Override
	public void call(RpcBench.Callback callback) {
		long id = this.ids.incrementAndGet();
		this.pending.put(id, callback);
		String text = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + this.method + "\",\"params\":{}}";
		Peer.Connection connection = this.connection;
		if (connection == null) {
			throw new IllegalStateException("the client is not connected");
		}
		connection.send(text);
	}

	private void onText(String text) {
		JsonNode message = this.mapper.readTree(text);
		JsonNode id = message.get("id");
		RpcBench.Callback callback = (id != null) ? this.pending.remove(id.longValue()) : null;
		if (callback != null) {
			callback.onResult(message.get("result"));
		}
	}

}
