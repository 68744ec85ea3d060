package io.websockex.adapter.autoconfigure;

import java.util.function.BiFunction;

import io.websockex.adapter.Config;
import reactor.netty.http.client.HttpClient;

/**
 * Adjusts each auto-configured client before it is created: its {@link Config} (after the
 * properties are applied, before validation) and its Reactor Netty {@link HttpClient}
 * (proxy, resolver, wiretap, TLS beyond an SSL bundle). Declare beans of this type; they
 * are applied in {@link org.springframework.core.annotation.Order @Order} /
 * {@link org.springframework.core.Ordered} order, to every client.
 *
 * <pre>{@code
 * &#64;Bean
 * WebsockexClientCustomizer slowerRetries() {
 *     return (name, config) -> config.retryDelay(Duration.ofSeconds(5));
 * }
 *
 *

&#64;Bean
 * WebsockexClientCustomizer wiretap() {
 *     return WebsockexClientCustomizer.httpClient((name, http) -> http.wiretap(true));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface WebsockexClientCustomizer {

	/**
	 * Adjust a client's configuration.
	 * @param name the client's name
	 * @param config the builder holding the values of {@code websockex.clients.<name>}
	 */
	void customize(String name, Config.Builder config);

	/**
	 * Adjust a client's Reactor Netty {@link HttpClient}; by default, returns it
	 * unchanged. When any customizer overrides this method, every client connects through
	 * its {@link HttpClient}; otherwise clients open a TCP connection on the same event
	 * loops and write the WebSocket upgrade themselves, which keeps about half the heap
	 * per idle connection.
	 * @param name the client's name
	 * @param httpClient the client, with the SSL bundle already applied if one is
	 * configured
	 * @return the client to use
	 */
	default HttpClient customize(String name, HttpClient httpClient) {
		return httpClient;
	}

	/**
	 * A customizer that adjusts only the {@link HttpClient}.
	 * @param customizer given the client's name and its {@link HttpClient}, returns the
	 * {@link HttpClient} to use
	 * @return the customizer
	 */
	static WebsockexClientCustomizer httpClient(BiFunction<String, HttpClient, HttpClient> customizer) {
		return new WebsockexClientCustomizer() {

			@Override
			public void customize(String name, Config.Builder config) {
			}

			@Override
			public HttpClient customize(String name, HttpClient httpClient) {
				return customizer.apply(name, httpClient);
			}

		};
	}

}
