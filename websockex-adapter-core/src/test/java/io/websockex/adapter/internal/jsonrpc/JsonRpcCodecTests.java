package io.websockex.adapter.internal.jsonrpc;

import java.util.List;
import java.util.Map;

import io.websockex.adapter.JsonRpcErrorException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonRpcCodecTests {

	private final JsonMapper mapper = JsonMapper.shared();

	private final JsonRpcCodec codec = new JsonRpcCodec(this.mapper);

	@Test
	void encodesAValidJsonRpcRequest() {
		JsonNode request = this.mapper
			.readTree(this.codec.encodeRequest(7, "public/subscribe", Map.of("channels", List.of("a.b"))));
		assertThat(request.get("jsonrpc").asString()).isEqualTo("2.0");
		assertThat(request.get("id").asLong()).isEqualTo(7);
		assertThat(request.get("method").asString()).isEqualTo("public/subscribe");
		assertThat(request.get("params").get("channels").get(0).asString()).isEqualTo("a.b");
	}

	@Test
	void escapesTheMethodAndWritesEmptyAndMissingParams() {
		assertThat(this.codec.encodeRequest(1, "we\"ird\\name\n", Map.of()))
			.isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"we\\\"ird\\\\name\\n\",\"params\":{}}");
		assertThat(this.mapper.readTree(this.codec.encodeRequest(2, "m", null)).get("params").isNull()).isTrue();
		assertThat(this.mapper.readTree(this.codec.encodeRequest(3, "m", List.of(1, 2))).get("params").size())
			.isEqualTo(2);
	}

	@Test
	void readsResultsAndErrors() {
		assertThat(JsonRpcCodec.result("c", "m", this.mapper.readTree("{\"id\":1,\"result\":5}")).asInt()).isEqualTo(5);
		assertThatThrownBy(() -> JsonRpcCodec.result("c", "m",
				this.mapper.readTree("{\"id\":1,\"error\":{\"code\":10009,\"message\":\"not_enough_funds\"}}")))
			.isInstanceOf(JsonRpcErrorException.class)
			.hasMessageContaining("10009")
			.hasMessageContaining("not_enough_funds");
		assertThat(JsonRpcCodec.idKey(this.mapper.readTree("{\"id\":\"abc\"}"))).isEqualTo("abc");
		assertThat(JsonRpcCodec.idKey(this.mapper.readTree("{\"id\":12}"))).isEqualTo(12L);
		assertThat(JsonRpcCodec.idKey(this.mapper.readTree("{\"id\":[1]}"))).isNull();
	}

}
