package io.websockex.adapter;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a bean method that receives a client's inbound messages. With the Spring Boot
 * starter, each annotated method is subscribed when the context starts and keeps
 * receiving for the client's whole life, across reconnects.
 *
 * <p>
 * Without {@link #channel()}, the method receives every data frame of
 * {@link WebsockexClient#messages()}; with it, the data of the channel notifications
 * whose channel matches: an exact name, or a pattern where {@code *} matches any
 * characters ({@code ticker.*}, {@code book.*.100ms}). The method takes one parameter:
 * <ul>
 * <li>{@code String}: the text of the frame (for a channel: the notification's data, as
 * its string value or its JSON text);</li>
 * <li>{@code JsonNode} ({@code tools.jackson.databind}): the parsed frame (for a channel:
 * the data);</li>
 * <li>{@link WebsockexMessage}: the whole frame, text or binary;</li>
 * <li>{@code byte[]}: the payload of binary frames (without a channel);</li>
 * <li>{@code io.websockex.adapter.platform.Platform.Notification}: channel and data (with
 * a channel);</li>
 * <li>any other type: the JSON (for a channel: the data) bound by Jackson.</li>
 * </ul>
 * A channel listener does not subscribe by itself: list the channels under
 * {@code websockex.clients.<name>.subscriptions} or call
 * {@link WebsockexClient#subscribe(String...)}. Frames the parameter cannot take (binary
 * frames for a {@code String}, text that is not JSON for a {@code JsonNode}) are skipped.
 * Methods run one message at a time, in order, off the connection's I/O thread, so they
 * may block. A method that throws is logged and counted, and the next message is
 * delivered as usual.
 *
 * <pre>{@code
 * &#64;Component
 * class Tickers {
 *
 *     record Ticker(String instrumentName, double lastPrice) {}
 *
 *

&#64;WebsockexListener(client = "deribit", channel = "ticker.*")
 *     void onTicker(Ticker ticker) {
 *         ...
 *     }
 *
 * }
 * }</pre>
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WebsockexListener {

	/**
	 * The name of the client, as in {@code websockex.clients.<name>} or as registered
	 * with {@link WebsockexClients#register(String, Config)}; or a pattern in which
	 * {@code *} matches any run of characters ({@code account-*}), which takes every
	 * matching client, those registered later at run time included.
	 * @return the client's name or pattern
	 */
	String client();

	/**
	 * The channel to receive: an exact name or a pattern with {@code *}; empty (the
	 * default) for every message.
	 * @return the channel
	 */
	String channel() default "";

}
