package io.websockex.adapter.internal.client;

import java.util.function.UnaryOperator;

import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;

/**
 * Internal: the {@link HttpClient} customizers a client can do without an
 * {@link HttpClient}. A client given {@link #none()}, {@link UnaryOperator#identity()} or
 * {@link #tls(SslContext)} connects through {@link TcpTransport} (the upgrade written by
 * hand, a third of the heap per connection); any other customizer gets the
 * {@link HttpClient} it asked for, through {@link Transport}. Auto-configuration passes
 * these when no {@code WebsockexClientCustomizer} adjusts the {@link HttpClient}.
 */
public final class HttpClientCustomizers {

	private static final UnaryOperator<HttpClient> NONE = new Tls(null);

	private HttpClientCustomizers() {
	}

	/**
	 * No customization.
	 * @return the customizer, which returns the client unchanged
	 */
	public static UnaryOperator<HttpClient> none() {
		return NONE;
	}

	/**
	 * TLS with this context, and nothing else.
	 * @param context the client TLS context (trust, key material, protocols)
	 * @return the customizer, which applies {@code secure(spec -> spec.sslContext(...))}
	 * when given an {@link HttpClient}
	 */
	public static UnaryOperator<HttpClient> tls(SslContext context) {
		return new Tls(context);
	}

	/**
	 * Whether a customizer is one of these, that {@link TcpTransport} can apply.
	 * @param customizer the customizer
	 * @return {@code true} for {@link #none()}, {@link UnaryOperator#identity()} and
	 * {@link #tls}
	 */
	static boolean needsNoHttpClient(UnaryOperator<HttpClient> customizer) {
		return customizer instanceof Tls || customizer == UnaryOperator.<HttpClient>identity();
	}

	/**
	 * The TLS context of a customizer made by {@link #tls}.
	 * @param customizer the customizer
	 * @return the context, or {@code null} for the JVM's default
	 */
	static @Nullable SslContext sslContext(UnaryOperator<HttpClient> customizer) {
		return (customizer instanceof Tls tls) ? tls.context : null;
	}

	private static final class Tls implements UnaryOperator<HttpClient> {

		private final @Nullable SslContext context;

		Tls(@Nullable SslContext context) {
			this.context = context;
		}

		@Override
		public HttpClient apply(HttpClient client) {
			SslContext tls = this.context;
			return (tls != null) ? client.secure((spec) -> spec.sslContext(tls)) : client;
		}

	}

}
