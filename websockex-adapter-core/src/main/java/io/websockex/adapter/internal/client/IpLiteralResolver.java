package io.websockex.adapter.internal.client;

import java.net.URI;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.UnaryOperator;

import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;

/**
 * Skips the DNS resolver for a URL whose host is an IP literal
 * ({@code ws://127.0.0.1:8080/}, {@code wss://[::1]/}).
 * <p>
 * Reactor Netty builds its default resolver, Netty's {@code DnsNameResolver}, at the
 * first connect on each event loop even when the address is already an IP (it reads
 * {@code /etc/resolv.conf} and {@code /etc/hosts} and loads some 50 classes): tens of
 * milliseconds before the first frame of a fresh JVM, for nothing to resolve. Reactor
 * Netty turns an IP literal into a resolved address, so Netty's no-op resolver connects
 * to it as is. A host name keeps Reactor Netty's default, non-blocking resolver.
 * <p>
 * The no-op resolver goes in before the user's customizer, so that a customizer that sets
 * a resolver, or a proxy (which resolves nothing locally either), has the last word.
 */
public final class IpLiteralResolver {

	// A client's base HttpClient is shared by every client with the same connect timeout
	// and no headers (see Transport): share its no-op variant too, so that this costs no
	// HttpClient copy per client. Weak keys: a base made for one client (headers) is
	// dropped with it; the variant does not refer to its base.
	private static final Map<HttpClient, HttpClient> VARIANTS = Collections.synchronizedMap(new WeakHashMap<>());

	private IpLiteralResolver() {
	}

	/**
	 * The customizer to give the transport for a URL.
	 * @param url the client's URL
	 * @param customizer the user's customizer
	 * @return {@code customizer} when the host is a name; otherwise one that sets the
	 * no-op resolver, then applies {@code customizer}
	 */
	public static UnaryOperator<HttpClient> around(URI url, UnaryOperator<HttpClient> customizer) {
		if (!isIpLiteral(url.getHost())) {
			return customizer;
		}
		return (client) -> customizer
			.apply(VARIANTS.computeIfAbsent(client, (base) -> base.resolver(NoopAddressResolverGroup.INSTANCE)));
	}

	/**
	 * Whether a URL's host is an IPv4 or IPv6 literal.
	 * @param host {@link URI#getHost()}: IPv6 in brackets
	 * @return {@code true} for a literal, {@code false} for a host name or none
	 */
	static boolean isIpLiteral(@Nullable String host) {
		if (host == null || host.isEmpty()) {
			return false;
		}
		if (host.charAt(0) == '[') {
			return host.endsWith("]") && NetUtil.isValidIpV6Address(host.substring(1, host.length() - 1));
		}
		return NetUtil.isValidIpV4Address(host);
	}

}
