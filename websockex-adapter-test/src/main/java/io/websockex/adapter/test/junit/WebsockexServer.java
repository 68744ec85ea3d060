package io.websockex.adapter.test.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.websockex.adapter.test.WebsockexTestServer;
import io.websockex.adapter.test.WebsockexTestServer.Platform;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Injects a started {@link WebsockexTestServer} into a field or parameter, stops it after
 * the test (after the class for a static field), and fails the test when a connection is
 * still open then: a client the test forgot to close.
 *
 * <pre>{@code
 * class OrderBookTests {
 *
 *     &#64;WebsockexServer(platform = Platform.DERIBIT)
 *     WebsockexTestServer server;
 *
 *

&#64;Test
 *     void rebuildsAfterTheFeedDrops() { ... }
 *
 * }
 * }</pre>
 *
 * The annotation registers {@link WebsockexTestServerExtension}; a field or parameter of
 * type {@code WebsockexTestServer} without it gets a {@link Platform#JSON_RPC} server
 * when the class is annotated with
 * {@code @ExtendWith(WebsockexTestServerExtension.class)}.
 */
@Target({ ElementType.FIELD, ElementType.PARAMETER })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(WebsockexTestServerExtension.class)
public @interface WebsockexServer {

	/**
	 * @return the behaviour built into the server
	 */
	Platform platform() default Platform.JSON_RPC;

	/**
	 * @return whether a connection still open after the test fails it
	 */
	boolean checkLeaks() default true;

}
