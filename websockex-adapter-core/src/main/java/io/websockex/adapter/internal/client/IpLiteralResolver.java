package io.websockex.adapter.internal.client;

import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;

/**
 * Tells whether a URL's host is an IP literal ({@code ws://127.0.0.1:8080/},
 * {@code wss://[::1]/}), for which {@link Transport} skips the DNS resolver.
 * <p>
 * Reactor Netty builds its default resolver, Netty's {@code DnsNameResolver}, at the
 * first connect on each event loop even when the address is already an IP (it reads
 * {@code /etc/resolv.conf} and {@code /etc/hosts} and loads some 50 classes): tens of
 * milliseconds before the first frame of a fresh JVM, for nothing to resolve. Reactor
 * Netty turns an IP literal into a resolved address, so Netty's no-op resolver connects
 * to it as is. A host name keeps Reactor Netty's default, non-blocking resolver.
 */
final class IpLiteralResolver {

	private IpLiteralResolver() {
	}

	/**
	 * Whether a URL's host is an IPv4 or IPv6 literal.
	 * @param host {@link java.net.URI#getHost()}: IPv6 in brackets
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
